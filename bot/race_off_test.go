//go:build !race

package bot_test

const raceOn = false
