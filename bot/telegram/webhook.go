package telegram

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/go-telegram/bot/models"
)

// maxWebhookBody bounds a webhook request body; real updates are a few KB.
const maxWebhookBody = 1 << 20

// webhookHandler accepts Telegram's webhook calls: POST only, the secret in
// X-Telegram-Bot-Api-Secret-Token (401 otherwise), a JSON update (400
// otherwise). It answers 200 once the update's handling is stored, replies
// included (the sender delivers them), and 503 when it could not be queued
// or stored (Telegram then delivers it again). The body is never logged.
func (a *Adapter) webhookHandler() http.Handler {
	secret := []byte(a.cfg.WebhookSecret)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := []byte(r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		if len(secret) > 0 && subtle.ConstantTimeCompare(got, secret) != 1 {
			a.metrics.updates.WithLabelValues("unauthorized").Inc()
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		u := new(models.Update)
		if err := json.Unmarshal(body, u); err != nil {
			a.metrics.updates.WithLabelValues("invalid").Inc()
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		handled := make(chan error, 1)
		if err := a.intake(r.Context(), u, func(err error) { handled <- err }); err != nil {
			a.log.Warn("telegram: webhook update not taken", "update_id", u.ID, "err", err)
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		// Telegram forgets the update on 200: answer only once it is
		// stored, so a crash before that means a redelivery, not a loss.
		select {
		case err := <-handled:
			if err != nil {
				http.Error(w, "not stored, try again", http.StatusServiceUnavailable)
				return
			}
		case <-r.Context().Done():
			return // Telegram gave up waiting and will deliver it again
		}
		w.WriteHeader(http.StatusOK)
	})
}

// webhookPath is the path of the webhook URL ("/" when it has none).
func webhookPath(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("telegram: webhook URL %q is not an https URL", raw)
	}
	if u.Path == "" {
		return "/", nil
	}
	return u.Path, nil
}

// checkSecret applies Telegram's rule for secret_token: 1-256 characters
// A-Z, a-z, 0-9, _ and -. An empty secret is refused too: without it anyone
// who finds the URL could post fake updates.
func checkSecret(s string) error {
	if s == "" {
		return errors.New("telegram: webhook mode needs a secret (BHXHBOT_WEBHOOK_SECRET)")
	}
	if len(s) > 256 {
		return errors.New("telegram: webhook secret longer than 256 characters")
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return errors.New("telegram: webhook secret may hold only A-Z, a-z, 0-9, _ and -")
		}
	}
	return nil
}
