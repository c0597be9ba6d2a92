package main

import (
	"context"
	"fmt"
	"io"
)

// PLACEHOLDER: replaced by the owner of this subcommand.
func cmdCalc(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "faqctl calc: chưa có")
	return 2
}
