// Package agents is the directory of local collection agents: the province
// list after the 2025 reform (34 provinces, former names kept as aliases),
// the agents staff edit as CSV, commune search that folds diacritics and
// tolerates typos, nearest agents by great-circle distance, opening hours in
// Vietnam time, and phone numbers. It knows nothing of the conversation:
// bot/handoff builds the hand-off flow, consent, leads and outbox on it.
package agents
