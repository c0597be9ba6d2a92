package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

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

// maxConflicts is how many 409 answers in a row a poller that already
// received updates takes before it stops (see ErrPollConflict).
const maxConflicts = 3

// ErrPollConflict is what Run returns in polling mode when another process
// receives this bot's updates: Telegram answered getUpdates with 409
// Conflict (a second replica polling), or a webhook is registered (replicas
// in webhook mode). Telegram lets one consumer poll; several replicas must
// all run with the webhook.
var ErrPollConflict = errors.New("telegram: another process receives this bot's updates")

// useWebhook is the advice that goes with ErrPollConflict.
const useWebhook = "long polling allows one consumer: to run several replicas, start every replica in webhook mode " +
	"(BHXHBOT_WEBHOOK_URL and BHXHBOT_WEBHOOK_SECRET) behind the load balancer; otherwise stop the other process"

// poll runs the long-polling loop until ctx is done. Errors:
// ErrPollConflict. A poller that has not received anything yet stops at the
// first 409: Telegram answers 409 to the older of two pending getUpdates, so
// the newcomer sees it first when it fights a running replica (which then
// carries on); one that has been receiving stops after maxConflicts in a
// row.
func (a *Adapter) poll(ctx context.Context) error {
	// A webhook makes getUpdates fail with 409. Deleting it would take the
	// updates away from replicas running in webhook mode, so polling stops
	// instead and says what to do (a leftover is removed by hand, once).
	var hook string
	err := a.call(ctx, "getWebhookInfo", func(ctx context.Context) error {
		info, err := a.api.GetWebhookInfo(ctx)
		if err == nil && info != nil {
			hook = info.URL
		}
		return err
	})
	switch {
	case err != nil && ctx.Err() == nil:
		a.log.Warn("telegram: getWebhookInfo failed", "err", err)
	case hook != "":
		a.log.Error("telegram: polling not started: a webhook is registered for this bot", "webhook", a.clean(hook))
		return fmt.Errorf("%w: a webhook is registered (%s), so replicas in webhook mode may be running and polling would take their updates; %s. "+
			"If the webhook is a leftover of an earlier run, remove it first: curl https://api.telegram.org/bot<TOKEN>/deleteWebhook",
			ErrPollConflict, a.clean(hook), useWebhook)
	}
	a.log.Info("telegram: long polling", "api", RedactURL(a.cfg.APIURL, a.cfg.Token), "workers", a.cfg.Workers)
	var offset int64
	var wait time.Duration
	received, conflicts := false, 0
	for ctx.Err() == nil {
		if wait > 0 && a.wait(ctx, wait) != nil {
			break
		}
		raws, err := a.getUpdates(ctx, offset)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if pe, ok := err.(*pollError); ok && pe.status == http.StatusConflict {
				conflicts++
				if !received || conflicts >= maxConflicts {
					a.log.Error("telegram: polling stopped: another process takes this bot's updates; use the webhook for several replicas", "telegram", pe.desc)
					return fmt.Errorf("%w: Telegram answered getUpdates with 409 (%s); %s", ErrPollConflict, pe.desc, useWebhook)
				}
			}
			wait = min(max(2*wait, 100*time.Millisecond), pollBackoffMax)
			if pe, ok := err.(*pollError); ok && pe.retryAfter > 0 {
				wait = time.Duration(pe.retryAfter) * time.Second
			}
			a.log.Warn("telegram: polling", "err", err, "wait", wait)
			continue
		}
		wait, received, conflicts = 0, true, 0
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
