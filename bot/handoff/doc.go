// Package handoff hands a person over to a real local collection agent found
// in the directory of package agents: the conversation (location or province
// and commune, agents, preferred time), the consent text, durable call-back
// leads and the outbox that delivers lead cards to agents exactly when the
// store says so.
//
// The package speaks the bot's neutral types (bot.Message, bot.Sender) and
// declares the Store it needs; bot/sqlite implements it. It imports neither
// Telegram nor an SQL driver.
package handoff
