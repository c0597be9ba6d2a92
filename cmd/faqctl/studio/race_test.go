//go:build race

package studio

// raceOn: the race detector is on (builds of the shipped index take ~20 s).
const raceOn = true
