package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Long polling. getUpdates with offset N tells Telegram to forget every
// update below N, so the adapter asks for the next batch only once every
// update of the previous one is stored as handled, replies included: a
// crash (SIGKILL, OOM, power) before that means Telegram delivers the batch
// again, and the store's handled update ids keep the updates that were
// already stored from being answered twice. Sending the replies is not
// waited for: the outbox holds them.

// pollBackoffMax caps the wait after a failed getUpdates.
const pollBackoffMax = 5 * time.Second

// poll runs the long-polling loop until ctx is done.
func (a *Adapter) poll(ctx context.Context) error {
	// A webhook left over from an earlier run makes getUpdates fail with
	// 409; removing it keeps the pending updates.
	err := a.call(ctx, "deleteWebhook", func(ctx context.Context) error {
		_, err := a.api.DeleteWebhook(ctx, &tg.DeleteWebhookParams{})
		return err
	})
	if err != nil && ctx.Err() == nil {
		a.log.Warn("telegram: deleteWebhook failed", "err", err)
	}
	a.log.Info("telegram: long polling", "api", a.cfg.APIURL, "workers", a.cfg.Workers)
	var offset int64
	var wait time.Duration
	for ctx.Err() == nil {
		if wait > 0 && a.wait(ctx, wait) != nil {
			break
		}
		raws, err := a.getUpdates(ctx, offset)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			wait = min(max(2*wait, 100*time.Millisecond), pollBackoffMax)
			if pe, ok := err.(*pollError); ok && pe.retryAfter > 0 {
				wait = time.Duration(pe.retryAfter) * time.Second
			}
			a.log.Warn("telegram: polling", "err", err, "wait", wait)
			continue
		}
		wait = 0
		next, ok := a.handleBatch(ctx, raws)
		if !ok {
			break // shutting down: the batch is not confirmed, Telegram keeps it
		}
		offset = max(offset, next)
	}
	return nil
}

// pollError is a getUpdates call Telegram answered with an error.
type pollError struct {
	status     int
	desc       string
	retryAfter int
}

func (e *pollError) Error() string {
	return fmt.Sprintf("telegram: getUpdates: %d %s", e.status, e.desc)
}

// getUpdates asks for the updates from offset on, waiting up to the poll
// timeout for one to arrive. Errors: a *pollError, or a transport error
// (never with the token in it).
func (a *Adapter) getUpdates(ctx context.Context, offset int64) ([]json.RawMessage, error) {
	params, _ := json.Marshal(map[string]any{
		"offset":          offset,
		"timeout":         int((pollTimeout - time.Second) / time.Second),
		"allowed_updates": []string{"message", "callback_query"},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.cfg.APIURL+"/bot"+a.cfg.Token+"/getUpdates", bytes.NewReader(params))
	if err != nil {
		return nil, fmt.Errorf("telegram: getUpdates: %s", a.clean(err.Error()))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		kind := errKind(err)
		if kind != errCanceled {
			a.metrics.apiErrors.WithLabelValues("getUpdates", kind).Inc()
		}
		return nil, fmt.Errorf("telegram: getUpdates: %s", a.clean(err.Error()))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		a.metrics.apiErrors.WithLabelValues("getUpdates", errNetwork).Inc()
		return nil, fmt.Errorf("telegram: getUpdates: read: %s", a.clean(err.Error()))
	}
	var r struct {
		OK          bool              `json:"ok"`
		Result      []json.RawMessage `json:"result"`
		ErrorCode   int               `json:"error_code"`
		Description string            `json:"description"`
		Parameters  struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		a.metrics.apiErrors.WithLabelValues("getUpdates", errServer).Inc()
		return nil, &pollError{status: resp.StatusCode, desc: "answer is not JSON (a proxy's error page?)"}
	}
	if !r.OK {
		kind := errOther
		switch {
		case r.ErrorCode == http.StatusTooManyRequests:
			kind = errRateLimited
		case r.ErrorCode == http.StatusConflict:
			kind = errConflict
		case r.ErrorCode == http.StatusUnauthorized:
			kind = errUnauthorized
		case r.ErrorCode >= 500:
			kind = errServer
		}
		a.metrics.apiErrors.WithLabelValues("getUpdates", kind).Inc()
		return nil, &pollError{status: r.ErrorCode, desc: a.clean(r.Description), retryAfter: r.Parameters.RetryAfter}
	}
	return r.Result, nil
}

// handleBatch hands every update of a getUpdates answer to the workers and
// waits until each is stored. An update the store could not take is tried
// again after a growing wait, for as long as it takes: Telegram must not
// forget it. It returns the offset confirming the batch, and false when ctx
// ended first.
func (a *Adapter) handleBatch(ctx context.Context, raws []json.RawMessage) (int64, bool) {
	var next int64
	var todo []*models.Update
	for _, raw := range raws {
		u := new(models.Update)
		if err := json.Unmarshal(raw, u); err != nil {
			// Unreadable (Telegram changed a type?): skipping it beats
			// asking for it forever.
			var id struct {
				UpdateID int64 `json:"update_id"`
			}
			_ = json.Unmarshal(raw, &id)
			next = max(next, id.UpdateID+1)
			a.metrics.updates.WithLabelValues("invalid").Inc()
			a.log.Error("telegram: update not understood; skipped", "update_id", id.UpdateID, "err", a.clean(err.Error()))
			continue
		}
		next = max(next, u.ID+1)
		todo = append(todo, u)
	}
	wait := time.Duration(0)
	for len(todo) > 0 {
		if wait > 0 {
			a.log.Error("telegram: updates not stored; trying again (Telegram keeps them meanwhile)", "count", len(todo), "wait", wait)
			if a.wait(ctx, wait) != nil {
				return 0, false
			}
		}
		type result struct {
			u   *models.Update
			err error
		}
		results := make(chan result, len(todo))
		taken := 0
		for _, u := range todo {
			err := a.intake(ctx, u, func(err error) { results <- result{u, err} })
			if err != nil {
				a.log.Warn("telegram: update not taken; Telegram will deliver it again", "update_id", u.ID, "err", err)
				break
			}
			taken++
		}
		failed := map[*models.Update]bool{}
		for range taken {
			select {
			case r := <-results:
				if r.err != nil {
					failed[r.u] = true
				}
			case <-ctx.Done():
				return 0, false
			}
		}
		if taken < len(todo) {
			return 0, false
		}
		// Tried again in their order, so a chat's updates stay in order.
		todo = slices.DeleteFunc(todo, func(u *models.Update) bool { return !failed[u] })
		wait = min(max(2*wait, time.Second), 30*time.Second)
	}
	return next, true
}
