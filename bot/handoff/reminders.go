package handoff

import (
	"context"
	"errors"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/agents"
)

// ReminderAgents tells the reminders which agent a person chose: the agent
// of their latest call-back request, else the one whose QR code they came
// through; and describes an agent of the directory (bot.AgentBook).
type ReminderAgents struct {
	Dir   *agents.Directory
	Store interface {
		LatestLead(ctx context.Context, userID int64) (Lead, error)
		AgentAttribution(ctx context.Context, userID int64) (string, error)
	}
}

var _ bot.AgentBook = ReminderAgents{}

// Agent describes an active agent of the directory.
func (r ReminderAgents) Agent(id string) (bot.AgentInfo, bool) {
	a, ok := r.Dir.Agent(id)
	if !ok {
		return bot.AgentInfo{}, false
	}
	return bot.AgentInfo{ID: a.ID, Name: a.Name, Kind: a.Kind.Label(), Address: a.Address, Phone: agents.FormatPhone(a.Phone)}, true
}

// ChosenAgent returns the agent of the user's latest lead, else of their
// QR code, else "" (also when that agent left the directory).
func (r ReminderAgents) ChosenAgent(ctx context.Context, userID int64) (string, error) {
	id := ""
	switch l, err := r.Store.LatestLead(ctx, userID); {
	case err == nil:
		id = l.AgentID
	case !errors.Is(err, ErrNotFound) && !errors.Is(err, bot.ErrNotFound):
		return "", err
	}
	if id == "" {
		a, err := r.Store.AgentAttribution(ctx, userID)
		if err != nil {
			return "", err
		}
		id = a
	}
	if _, ok := r.Dir.Agent(id); !ok {
		return "", nil
	}
	return id, nil
}
