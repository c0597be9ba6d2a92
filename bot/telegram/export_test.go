package telegram

import "testing"

// BenchWebhook lets the external test package (which wires the real engine)
// use the webhook throughput benchmark.
func BenchWebhook(b *testing.B, h Handler, out Outbox, minReplies int) {
	benchWebhook(b, h, out, minReplies)
}
