//go:build !unix

package main

// lockDB does nothing where flock is not available: run one bot per
// database there.
func lockDB(string) (func(), error) { return func() {}, nil }
