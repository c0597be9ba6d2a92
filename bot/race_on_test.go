//go:build race

package bot_test

// raceOn: the race detector slows SQLite ~10×; the 10,000-reminder drain
// then runs on 1,000.
const raceOn = true
