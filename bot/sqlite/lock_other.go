//go:build !unix

package sqlite

// Lock does nothing where flock is not available: run one bot per
// database there.
func Lock(string) (func(), error) { return func() {}, nil }
