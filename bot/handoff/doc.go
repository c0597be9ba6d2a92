// Package handoff hands a person over to a real local collection agent: the
// province list after the 2025 reform (34 provinces, former names kept as
// aliases), the agent directory staff edit as CSV, commune search that folds
// diacritics and tolerates typos, nearest agents by great-circle distance,
// opening hours in Vietnam time, the consent text, durable call-back leads and
// the outbox that delivers lead cards to agents exactly when the store says so.
//
// The package speaks the bot's neutral types (bot.Message, bot.Sender) and
// declares the Store it needs; bot/sqlite implements it. It imports neither
// Telegram nor an SQL driver.
package handoff
