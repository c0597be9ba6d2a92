// Package storetest is the contract of the bot's stores: one suite of tests
// that every store adapter runs on its own database (bot/sqlite always,
// bot/postgres when BHXHBOT_TEST_POSTGRES is set), so that a store method is
// written once in the contract and tested on both. Each adapter's test
// calls Run with an Adapter saying how to open a store on a new database.
//
// The replica tests (Adapter.Shared) open several stores on one database
// at once, as several processes of the bot behind a load balancer do.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
	"github.com/bhxh-tn/bhxhbot/bot/handoff"
)

// Store is everything a store adapter offers the bot and its tools.
type Store interface {
	bot.Store
	handoff.Store
	bot.ReminderStore
	MarkUnreachable(ctx context.Context, chatID int64, at time.Time) error // the sender, for reminders

	// The outbox of replies (telegram.Outbox).
	ClaimOutbox(ctx context.Context, c bot.OutboxClaim) ([][]bot.Queued, error)
	DeleteOutbox(ctx context.Context, owner string, ids ...int64) error
	RetryOutbox(ctx context.Context, owner string, id int64, next time.Time, errText string) error
	ReleaseOutbox(ctx context.Context, owner string, chatID int64) error
	DirectOutbox(owner string, lease time.Duration, take func([]bot.Queued))
	OutboxStats(ctx context.Context) (bot.OutboxStats, error)

	// The main loop and the staff tools.
	SaveState(ctx context.Context, st *bot.ChatState) error
	Attribution(ctx context.Context, userID int64) (string, error)
	Prune(ctx context.Context, now time.Time, r bot.Retention) (bot.PruneStats, error)
	Report(ctx context.Context, since time.Time, limit int) ([]bot.ReportRow, error)
	ExportLeads(ctx context.Context, since time.Time, provinceID string) ([]handoff.Lead, error)
	LeadFunnel(ctx context.Context, since time.Time) ([]handoff.FunnelRow, error)
	Health(ctx context.Context, now time.Time) error
	ReminderStats(ctx context.Context, since time.Time) (bot.ReminderStats, error)

	Close() error
}

// Adapter is how the suite uses one kind of store.
type Adapter struct {
	// New creates an empty database for one test and returns a function
	// that opens a store on it; call it again for a restarted process or
	// another replica. Stores are closed when the test ends.
	New func(t *testing.T) (open func(t *testing.T) Store)
	// Count returns how many rows of table match where (an SQL condition,
	// "" for all rows).
	Count func(t *testing.T, s Store, table, where string) int
	// Shared is true when several processes may use one database at once
	// (PostgreSQL): the replica tests run.
	Shared bool
}

// Run runs the whole contract on the adapter.
func Run(t *testing.T, a Adapter) {
	tests := []struct {
		name string
		fn   func(t *testing.T, a Adapter)
	}{
		{"StateRoundTripAndRestart", testStateRoundTrip},
		{"CommitWritesUpdateStateAndRepliesTogether", testCommitTogether},
		{"LoadStateNotFound", testLoadStateNotFound},
		{"PruneKeepsStateBounded", testPrune},
		{"ReportGroupsByFoldedText", testReport},
		{"DeleteUser", testDeleteUser},
		{"ConcurrentWriters", testConcurrentWriters},
		{"LockChatAndUnlock", testLockChat},
		{"HealthWrites", testHealth},

		{"OutboxClaimTakesChatsInOrderAndLeasesThem", testClaimInOrder},
		{"OutboxClaimRespectsLimitsAndSkip", testClaimLimits},
		{"OutboxDeliveredLetsTheNextGo", testDeliveredLetsTheNextGo},
		{"OutboxRetryReschedulesTheChat", testRetry},
		{"OutboxReleaseGivesChatsBack", testRelease},
		{"OutboxDirectHandsOverRepliesOfIdleChats", testDirect},
		{"OutboxSeveralOwnersSendEachReplyOnce", testSeveralOwners},
		{"OutboxStats", testOutboxStats},

		{"LeadRoundTrip", testLeadRoundTrip},
		{"LeadCardClaimLeaseAndStates", testCardClaim},
		{"LeadCardConcurrentClaimsNeverShare", testCardConcurrentClaims},
		{"LeadStatusOnlyFromReceivingChat", testLeadStatus},
		{"LeadEscalation", testEscalation},
		{"LeadDeleteUserAndPurgeLeaveNoTrace", testDeleteAndPurge},
		{"LeadCardRedactions", testRedactions},
		{"LeadExportAndFunnel", testExportAndFunnel},
		{"LatestLead", testLatestLead},
		{"LeadCardDeliveredAfterRestartExactlyOnce", testCardAfterRestart},
		{"LeadCardKilledMidSendOnlyThatCardWaits", testCardKilledMidSend},

		{"RemindersClaimOnePerChatAndNotTwice", testClaimReminders},
		{"RemindersConcurrentOwnersQueueEachOnce", testFireReminders},
		{"ReminderEventsOutliveDeletion", testReminderEvents},
		{"RemindersScheduleRoundTrip", testReminderRoundTrip},
		{"ReminderStatsByVietnamMonth", testReminderStats},
	}
	if a.Shared {
		tests = append(tests, []struct {
			name string
			fn   func(t *testing.T, a Adapter)
		}{
			{"ReplicasLockChatExcludesOtherReplicas", testReplicasLockChat},
			{"ReplicasEngineHandlesAChatOneEventAtATime", testReplicasEngine},
			{"ReplicasRedeliveredUpdateAnsweredOnce", testReplicasRedelivery},
			{"ReplicasEscalationQueuedOnce", testReplicasEscalation},
			{"ReplicasRedactionsTakenOnce", testReplicasRedactions},
			{"ReplicasPruneAndPurgeTogether", testReplicasPrune},
		}...)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, a) })
	}
}

// open1 opens one store on a new database.
func (a Adapter) open1(t *testing.T) Store { return a.New(t)(t) }

var (
	base = time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
	ctx  = context.Background()
)

// must fails loudly on an unexpected store error (tests only).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
