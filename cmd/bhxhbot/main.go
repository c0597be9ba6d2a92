// Command bhxhbot runs the BHXH assistant: on Telegram (long polling, or a
// webhook when BHXHBOT_WEBHOOK_URL is set) or, with -console, in a terminal.
// Configuration comes from environment variables and flags; run with -h for
// the list.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
