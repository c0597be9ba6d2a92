package main

import (
	"context"
	"fmt"
	"io"
)

// PLACEHOLDER: replaced by the owner of this subcommand.
func cmdLint(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "faqctl lint: chưa có")
	return 2
}
