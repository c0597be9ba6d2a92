package bot

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bhxh-tn/bhxhbot/bot/read"
	"github.com/bhxh-tn/bhxhbot/calc"
	"github.com/bhxh-tn/bhxhbot/faq"
)

// FAQ is what the engine needs from the knowledge base (*faq.Index with its
// KB, adapted in cmd/bhxhbot).
type FAQ interface {
	Search(ctx context.Context, q string) (faq.Result, error)
	Entry(id string) (*faq.Entry, bool)
	// AnswerHTML renders an entry's answer with the amounts of day d.
	AnswerHTML(e *faq.Entry, d time.Time) (string, error)
	// NoticesHTML returns the staff notices in force on day d.
	NoticesHTML(d time.Time) []string
}

// Calculator is what the engine needs from calc (*calc.Calculator).
type Calculator interface {
	VSI(in calc.VSIInput) (calc.VSIResult, error)
	HouseholdHI(in calc.HIInput) (calc.HIResult, error)
	RetirementAge(in calc.RetireInput) (calc.RetireResult, error)
	Pension(in calc.PensionInput) (calc.PensionResult, error)
	LumpSum(in calc.LumpSumInput) (calc.LumpSumResult, error)
	VSIBounds(date time.Time) (floor, ceiling decimal.Decimal, err error)
}

// Retention says how long the store keeps each kind of record. The engine
// quotes it in /baomat; the store's Prune enforces it.
type Retention struct {
	Updates time.Duration // processed update ids (redelivery window)
	State   time.Duration // a half-finished flow expires after this idle time
	Records time.Duration // questions, feedback, attribution
	Leads   time.Duration // call-back requests of the hand-off (name, phone); its outbox purges them
}

// DefaultRetention: update ids for 2 days, chat state 30 minutes, records 12 months.
func DefaultRetention() Retention {
	return Retention{Updates: 48 * time.Hour, State: 30 * time.Minute, Records: 365 * 24 * time.Hour, Leads: 90 * 24 * time.Hour}
}

// Config tunes the engine; the zero value uses DefaultRetention.
type Config struct {
	Retention Retention
	// QueueReplies writes every reply to the store's outbox in the
	// transaction that records the update as handled (Response.Queued is
	// then true): a transport with a sender (Telegram) delivers them from
	// there. Without it the replies are only returned (the console prints
	// them).
	QueueReplies bool
}

// Deps are the engine's collaborators. FAQ, Calc and Store are required.
type Deps struct {
	FAQ     FAQ
	Calc    Calculator
	Store   Store
	Handoff Handoff // optional; nil answers "Gặp đại lý" with the hotline
	// Reminders, Agents and Notices serve /nhacnho and the reminder
	// buttons (remind_flow.go); optional: without Reminders, /nhacnho says
	// the service rests.
	Reminders ReminderStore
	Agents    AgentBook
	Notices   NoticeSource
	Logger    *slog.Logger
	Now       func() time.Time
	Metrics   *Metrics // optional
}

// Engine is the conversation. It is safe for concurrent use; events of one
// chat are handled one at a time, in the order Handle is called.
type Engine struct {
	cfg     Config
	faq     FAQ
	calc    Calculator
	store   Store
	handoff Handoff
	// reminders (remind_flow.go)
	reminders ReminderStore
	agents    AgentBook
	notices   NoticeSource
	log       *slog.Logger
	now       func() time.Time
	metrics   *Metrics
	seed      maphash.Seed
	locks     [64]sync.Mutex
	flows     map[string]calcFlow
}

// New builds an engine. Errors: a required dependency is missing.
func New(cfg Config, deps Deps) (*Engine, error) {
	if deps.FAQ == nil || deps.Calc == nil || deps.Store == nil {
		return nil, errors.New("bot: New needs FAQ, Calc and Store")
	}
	if cfg.Retention == (Retention{}) {
		cfg.Retention = DefaultRetention()
	}
	e := &Engine{
		cfg: cfg, faq: deps.FAQ, calc: deps.Calc, store: deps.Store, handoff: deps.Handoff,
		log: deps.Logger, now: deps.Now, metrics: deps.Metrics, seed: maphash.MakeSeed(),
		reminders: deps.Reminders, agents: deps.Agents, notices: deps.Notices,
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.now == nil {
		e.now = time.Now
	}
	e.flows = map[string]calcFlow{
		flowVSI: vsiFlow{}, flowHI: hiFlow{}, flowPension: pensionFlow{}, flowRetire: pensionFlow{retireOnly: true},
	}
	return e, nil
}

func (e *Engine) lock(chatID int64) *sync.Mutex {
	var h maphash.Hash
	h.SetSeed(e.seed)
	var b [8]byte
	for i := range b {
		b[i] = byte(chatID >> (8 * i))
	}
	_, _ = h.Write(b[:])
	return &e.locks[h.Sum64()%uint64(len(e.locks))]
}

// Handle answers one event: under the chat's lock (in this process and, via
// Store.LockChat, across the processes sharing the store) it checks that the
// update was not handled before, loads the chat's state, runs the flow, and writes
// the update id, the new state and (with Config.QueueReplies) the replies in
// one store transaction. A redelivered update returns an empty Response.
// Internal failures, panics included, are logged and answered with a calm
// message, which is stored like any reply. The error is non-nil only when
// the store could not lock the chat, check or record the update (nothing was stored; the
// transport may try again later, errors.Is(err, ErrUnavailable) when the
// database cannot be written).
func (e *Engine) Handle(ctx context.Context, ev Event) (Response, error) {
	t0 := time.Now() // latency is wall-clock time, whatever the injected clock says
	defer func() { e.metrics.observe(time.Since(t0).Seconds()) }()
	log := e.log.With(slog.Int64("update_id", ev.UpdateID), slog.Int64("chat_id", ev.ChatID), slog.String("kind", string(ev.Kind)))

	mu := e.lock(ev.ChatID)
	mu.Lock()
	defer mu.Unlock()
	// Other replicas on the same database wait for this chat too, so two
	// events of one chat never run on a state loaded before the other's
	// commit.
	unlock, err := e.store.LockChat(ctx, ev.ChatID)
	if err != nil {
		e.metrics.failed()
		log.Error("lock chat", slog.Any("err", err))
		return Response{}, fmt.Errorf("bot: lock chat for update %d: %w", ev.UpdateID, err)
	}
	defer unlock()

	if ev.UpdateID != 0 {
		seen, err := e.store.Handled(ctx, ev.UpdateID)
		if err != nil {
			e.metrics.failed()
			log.Error("check update", slog.Any("err", err))
			return Response{}, fmt.Errorf("bot: check update %d: %w", ev.UpdateID, err)
		}
		if seen {
			e.metrics.update("duplicate")
			log.Info("redelivered update ignored")
			return Response{}, nil
		}
	}
	e.metrics.update(string(ev.Kind))

	start := e.now()
	resp, st, err := e.run(ctx, log, ev, start)
	if err != nil {
		// The database cannot be read: nothing is stored, the update
		// is delivered again later rather than answered with an apology.
		e.metrics.failed()
		log.Error("load state", slog.Any("err", err))
		return Response{}, fmt.Errorf("bot: update %d: %w", ev.UpdateID, err)
	}
	for i := range resp.Messages {
		if resp.Messages[i].ChatID == 0 {
			resp.Messages[i].ChatID = ev.ChatID
		}
	}
	// Store times are the wall clock's: the outbox and the redelivery
	// window age in real time, whatever the injected clock says.
	c := Commit{UpdateID: ev.UpdateID, At: t0}
	if st != nil && !st.gone {
		st.Updated = e.now()
		c.State = st
	}
	if e.cfg.QueueReplies {
		c.Outbox = resp.Messages
	}
	// The handler's deadline may have passed: what it decided is still
	// worth storing.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commitTimeout)
	err = e.store.Commit(cctx, c)
	cancel()
	switch {
	case errors.Is(err, ErrDuplicate):
		e.metrics.update("duplicate")
		log.Info("update handled meanwhile elsewhere; this reply dropped")
		return Response{}, nil
	case err != nil:
		e.metrics.failed()
		log.Error("commit update", slog.Any("err", err))
		return Response{}, fmt.Errorf("bot: commit update %d: %w", ev.UpdateID, err)
	}
	resp.Queued = e.cfg.QueueReplies
	log.Debug("handled", slog.Any("state", st), slog.Duration("took", time.Since(t0)))
	return resp, nil
}

// commitTimeout bounds the transaction that stores a handled event.
const commitTimeout = 10 * time.Second

// run loads the chat's state and dispatches the event. It returns the
// response and the state to save: nil when there is none to save (the state
// could not be loaded, or the flow failed and its half-changed state must
// not be kept). A panic in a flow is recovered as an internal error. The
// error is the store being unavailable (ErrUnavailable) when loading the
// state: then there is nothing to answer yet.
func (e *Engine) run(ctx context.Context, log *slog.Logger, ev Event, now time.Time) (resp Response, st *ChatState, err error) {
	defer func() {
		if r := recover(); r != nil {
			// The value may hold personal data: only its type is logged.
			log = log.With(slog.String("panic", fmt.Sprintf("%T", r)), slog.String("stack", string(debug.Stack())))
			resp, st, err = e.present(log, ev, errors.New("panic in flow")), nil, nil
		}
	}()
	st, err = e.loadState(ctx, ev, now)
	if errors.Is(err, ErrUnavailable) {
		return Response{}, nil, err
	}
	if err != nil {
		return e.present(log, ev, err), nil, nil
	}
	resp, err = e.dispatch(ctx, ev, st)
	if err != nil {
		return e.present(log.With(slog.Any("state", st)), ev, err), nil, nil
	}
	if !st.gone {
		closeKeyboard(st, &resp)
	}
	return resp, st, nil
}

// closeKeyboard keeps track of the reply keyboard on screen (Telegram's
// share-contact or share-location button): when the flow that showed it has
// ended or changed (cancel, /start, the menu, another flow) and the response
// does not deal with it, the response removes it, so a later tap cannot
// share a number or a place for nothing. A flow that goes on keeps it.
func closeKeyboard(st *ChatState, resp *Response) {
	shown, removed := false, false
	for _, m := range resp.Messages {
		shown = shown || len(m.Keyboard) > 0
		removed = removed || m.RemoveKeyboard
	}
	open := st.Data.Keyboard
	switch {
	case shown:
		st.Data.Keyboard = st.Flow
	case removed:
		st.Data.Keyboard = ""
	case open != "" && open != st.Flow && len(resp.Messages) > 0:
		st.Data.Keyboard = ""
		first := &resp.Messages[0]
		if len(first.Buttons) == 0 && first.EditMessageID == 0 {
			first.RemoveKeyboard = true
			return
		}
		// One reply_markup per message: the removal gets its own.
		resp.Messages = append([]Message{{HTML: msgKeyboardClosed, RemoveKeyboard: true}}, resp.Messages...)
	}
}

// loadState returns the chat's state; a flow idle for longer than the state
// TTL ends quietly.
func (e *Engine) loadState(ctx context.Context, ev Event, now time.Time) (*ChatState, error) {
	st, err := e.store.LoadState(ctx, ev.ChatID)
	switch {
	case errors.Is(err, ErrNotFound):
		return &ChatState{ChatID: ev.ChatID, UserID: ev.UserID}, nil
	case err != nil:
		return nil, fmt.Errorf("load state: %w", err)
	}
	if now.Sub(st.Updated) > e.cfg.Retention.State {
		st.Flow, st.Step, st.Data = "", "", StateData{}
	}
	if st.UserID == 0 {
		st.UserID = ev.UserID
	}
	return st, nil
}

// present is the one place where an error becomes a chat reply: internal
// failures are logged and shown as a calm generic message.
func (e *Engine) present(log *slog.Logger, ev Event, err error) Response {
	e.metrics.failed()
	log.Error("handle event", slog.Any("err", err))
	r := reply(msgInternal, nil)
	r.Messages[0].ChatID = ev.ChatID
	if ev.Kind == KindButton {
		r.CallbackText = toastError
	}
	return r
}

func (e *Engine) dispatch(ctx context.Context, ev Event, st *ChatState) (Response, error) {
	if ev.Kind == KindCommand {
		return e.onCommand(ctx, ev, st)
	}
	if ev.Kind == KindText && e.flows[st.Flow] == nil {
		// "hủy", "menu", "quay lại" typed anywhere, the hand-off included,
		// are the engine's buttons in words.
		if rd := read.Message(ev.Text, read.ExpectNothing); rd.Intents.Any(read.Cancel | read.Menu | read.Back) {
			return e.onText(ctx, ev, st)
		}
	}
	if e.handoff != nil {
		resp, consumed, err := e.handoff.Handle(ctx, ev, st)
		if err != nil {
			return Response{}, fmt.Errorf("handoff: %w", err)
		}
		if consumed {
			return resp, nil
		}
	}
	switch ev.Kind {
	case KindButton:
		return e.onButton(ctx, ev, st)
	case KindText:
		return e.onText(ctx, ev, st)
	default:
		return reply(msgNotText, mainMenu()), nil
	}
}

func (e *Engine) onCommand(ctx context.Context, ev Event, st *ChatState) (Response, error) {
	switch ev.Command {
	case "start":
		return e.onStart(ctx, ev, st)
	case CmdResume:
		if f := e.flows[st.Flow]; f != nil && contains(f.steps(), st.Step) {
			return e.prompt(st, f, st.Step, msgResume)
		}
		return e.onStart(ctx, ev, st)
	case "menu":
		st.Reset()
		return reply(msgMenu, mainMenu()), nil
	case "help":
		return reply(msgHelp, mainMenu()), nil
	case "hotline":
		return reply(msgHotline, mainMenu()), nil
	case "tintuc":
		return e.onNews(ctx, ev)
	case "nhacnho":
		return e.remindMenu(ctx, ev, st)
	case "baomat":
		return reply(privacyText(int(e.cfg.Retention.State/time.Minute), int(e.cfg.Retention.Records/(30*24*time.Hour)), int(e.cfg.Retention.Leads/(24*time.Hour))), nil), nil
	case "huy":
		st.Reset()
		return reply(msgCancelled, mainMenu()), nil
	case "xoa":
		return e.askDelete(st), nil
	case "hoidap":
		st.Reset()
		return reply(msgFAQPrompt, nil), nil
	case "tinh":
		return e.startFlow(flowVSI, st, nil, "")
	case "bhyt":
		return e.startFlow(flowHI, st, nil, "")
	case "luonghuu":
		return e.startFlow(flowPension, st, nil, "")
	case "daily":
		return e.startHandoff(ctx, ev, st, Topic{})
	}
	return reply(msgUnknownCmd, mainMenu()), nil
}

func (e *Engine) onButton(ctx context.Context, ev Event, st *ChatState) (Response, error) {
	cb, err := DecodeCallback(ev.Data)
	if err != nil {
		return badButton(), nil
	}
	switch cb.Kind {
	case CbAnswer, CbRelated:
		return e.showAnswer(ctx, ev, st, cb.ID, cb.Kind)
	case CbFeedback:
		return e.onFeedback(ctx, ev, st, cb)
	case CbMenu:
		return e.onMenu(ctx, ev, st, cb.Menu)
	case CbCalc:
		return e.flowButton(ctx, ev, st, cb)
	case CbNav:
		return e.onNav(ctx, ev, st, cb.Nav)
	case CbAgent:
		topic := st.Data.Last
		if cb.ID != "" && topic.FAQID != cb.ID {
			topic = Topic{FAQID: cb.ID}
		}
		return e.startHandoff(ctx, ev, st, topic)
	case CbDetail:
		return e.onDetail(st)
	case CbRemind:
		return e.onRemind(ctx, ev, st, cb)
	}
	// CbHandoff without a hook, or a hook that did not recognise it.
	return badButton(), nil
}

func (e *Engine) onMenu(ctx context.Context, ev Event, st *ChatState, menu string) (Response, error) {
	switch menu {
	case MenuFAQ:
		st.Reset()
		return reply(msgFAQPrompt, nil), nil
	case MenuVSI:
		return e.startFlow(flowVSI, st, nil, "")
	case MenuHI:
		return e.startFlow(flowHI, st, nil, "")
	case MenuPension:
		return e.startFlow(flowPension, st, nil, "")
	case MenuAgent:
		return e.startHandoff(ctx, ev, st, Topic{})
	case MenuHotline:
		st.Reset()
		return reply(msgHotline, mainMenu()), nil
	}
	st.Reset()
	return reply(msgMenu, mainMenu()), nil
}

func (e *Engine) onNav(ctx context.Context, ev Event, st *ChatState, nav string) (Response, error) {
	switch nav {
	case NavCancel:
		st.Reset()
		return reply(msgCancelled, mainMenu()), nil
	case NavBack:
		if f := e.flows[st.Flow]; f != nil {
			return e.flowBack(st, f)
		}
		st.Reset()
		return reply(msgMenu, mainMenu()), nil
	case NavDelete:
		return e.deleteUser(ctx, ev, st)
	case NavKeep:
		st.Reset()
		return reply(msgKept, mainMenu()), nil
	case NavNotThese:
		return e.notThese(ctx, ev, st)
	}
	return badButton(), nil
}

// onDetail shows the sources and caveats of the last result.
func (e *Engine) onDetail(st *ChatState) (Response, error) {
	c := st.Data.Last.Calc
	var html string
	var err error
	switch {
	case c == nil:
		return reply(msgDetailsGone, mainMenu()), nil
	case c.VSI != nil:
		html, err = e.vsiDetails(*c.VSI)
	case c.HI != nil:
		html, err = e.hiDetails(*c.HI)
	case c.Pension != nil:
		html, err = e.pensionDetails(*c.Pension)
	default:
		return reply(msgDetailsGone, mainMenu()), nil
	}
	if err != nil {
		return Response{}, fmt.Errorf("details: %w", err)
	}
	return reply(html, nil), nil
}

// reply is a response with one message.
func reply(html string, buttons [][]Button) Response {
	return Response{Messages: []Message{{HTML: html, Buttons: buttons}}}
}

func badButton() Response {
	r := reply(msgBadButton, mainMenu())
	r.CallbackText = toastStale
	return r
}

// mainMenu is the five-entry menu.
func mainMenu() [][]Button {
	return keyboard(
		[]Button{btn(BtnFAQ, MenuCb(MenuFAQ))},
		[]Button{btn(BtnVSI, MenuCb(MenuVSI))},
		[]Button{btn(BtnHI, MenuCb(MenuHI))},
		[]Button{btn(BtnPension, MenuCb(MenuPension))},
		[]Button{btn(BtnAgent, MenuCb(MenuAgent))},
	)
}

// navRow is the "Quay lại · Hủy" row shown at every step.
func navRow() []Button {
	return []Button{btn(BtnBack, NavCb(NavBack)), btn(BtnCancel, NavCb(NavCancel))}
}

// today is the current time in Vietnam: its calendar date picks the legal
// rules (a server clock in UTC would use yesterday's rules until 07:00).
func (e *Engine) today() time.Time { return e.now().In(calc.Vietnam) }
