package telegram

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
)

// pollTimeout is the long-polling wait asked of Telegram (the library asks
// for one second less) and the HTTP client's overall timeout.
const pollTimeout = 30 * time.Second

// Run receives updates until ctx is done: by long polling, or, when
// Config.WebhookURL is set, by serving the webhook on Config.ListenAddr after
// registering the URL and secret with setWebhook; meanwhile the sender
// delivers the outbox. At start it checks the token (getMe) and registers
// the command menu. When ctx is done it stops taking updates, lets the
// updates already taken finish (waiting at most UpdateTimeout plus 5 s),
// sends the replies that are due for a few more seconds, and returns nil;
// what is not sent stays in the outbox for the next start. Errors: the token
// rejected by Telegram, the listen address unavailable, setWebhook refused,
// or in-flight updates that did not finish in time.
func (a *Adapter) Run(ctx context.Context) error {
	if !a.started.CompareAndSwap(false, true) {
		return errors.New("telegram: Run called twice")
	}
	if err := a.hello(ctx); err != nil {
		return err
	}
	sctx, stopSender := context.WithCancel(context.Background())
	sent := make(chan struct{})
	go func() { defer close(sent); a.out.run(sctx) }()
	a.pool.start()
	var err error
	if a.cfg.WebhookURL == "" {
		err = a.poll(ctx)
	} else {
		err = a.serveWebhook(ctx)
	}
	if !a.pool.stop(a.drainTimeout()) {
		a.log.Error("telegram: shutdown: updates still running after the wait; cancelled")
		if err == nil {
			err = errors.New("telegram: shutdown: in-flight updates did not finish in time")
		}
	}
	stopSender() // after the updates, whose replies it still sends for a moment
	<-sent
	a.ackWG.Wait()
	a.log.Info("telegram: stopped")
	return err
}

// Stuck reports whether replies are due but none was settled (delivered,
// rescheduled or dropped) for a while, and for how long: the sender is
// blocked or the store keeps failing it. Telegram being down is not stuck.
func (a *Adapter) Stuck() (bool, time.Duration) { return a.out.Stuck() }

func (a *Adapter) drainTimeout() time.Duration { return a.cfg.UpdateTimeout + 5*time.Second }

// hello checks the token with getMe (learning the bot's username for
// "/cmd@name") and registers the command menu. Only a rejected token is
// fatal; Telegram being unreachable is logged and polling retries.
func (a *Adapter) hello(ctx context.Context) error {
	var me string
	err := a.call(ctx, "getMe", func(ctx context.Context) error {
		u, err := a.api.GetMe(ctx)
		if err == nil && u != nil {
			me = strings.ToLower(u.Username)
		}
		return err
	})
	switch {
	case errors.Is(err, tg.ErrorUnauthorized), errors.Is(err, tg.ErrorNotFound):
		return fmt.Errorf("telegram: the bot token was rejected by %s; check TELEGRAM_BOT_TOKEN (get one from @BotFather): %w", RedactURL(a.cfg.APIURL, a.cfg.Token), err)
	case err != nil:
		if ctx.Err() != nil {
			return nil
		}
		a.log.Warn("telegram: getMe failed; continuing", "err", err)
	default:
		a.botUsername.Store(&me)
	}
	if err := a.setCommands(ctx); err != nil && ctx.Err() == nil {
		a.log.Warn("telegram: command menu not registered", "err", err)
	}
	return nil
}

// serveWebhook listens, registers the webhook and serves until ctx is done.
func (a *Adapter) serveWebhook(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("telegram: webhook: listen on %s: %w", a.cfg.ListenAddr, err)
	}
	mux := http.NewServeMux()
	mux.Handle(a.hookPath, a.webhookHandler())
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	shutdown := func() {
		sctx, cancel := context.WithTimeout(context.Background(), a.drainTimeout())
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			a.log.Warn("telegram: webhook server shutdown", "err", err)
		}
	}

	if err := a.registerWebhook(ctx); err != nil {
		shutdown()
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	a.log.Info("telegram: webhook", "listen", ln.Addr().String(), "path", RedactToken(a.hookPath, a.cfg.Token), "workers", a.cfg.Workers)

	select {
	case <-ctx.Done():
		shutdown()
		return nil
	case err := <-served:
		return fmt.Errorf("telegram: webhook server: %w", err)
	}
}

// registerWebhook calls setWebhook until it succeeds. Telegram being
// unreachable or failing is retried with a growing wait (up to 30 s) until
// ctx is done; Telegram refusing the URL, secret or token is returned.
func (a *Adapter) registerWebhook(ctx context.Context) error {
	backoff := time.Second
	for {
		err := a.call(ctx, "setWebhook", func(ctx context.Context) error {
			_, err := a.api.SetWebhook(ctx, &tg.SetWebhookParams{
				URL:            a.cfg.WebhookURL,
				SecretToken:    a.cfg.WebhookSecret,
				AllowedUpdates: []string{"message", "callback_query"},
				MaxConnections: 40,
			})
			return err
		})
		if err == nil {
			return nil
		}
		switch errKind(err) {
		case errBadRequest, errUnauthorized, errNotFound, errForbidden:
			return fmt.Errorf("telegram: setWebhook refused: %w", err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		a.log.Warn("telegram: setWebhook failed; retrying", "err", err, "wait", backoff)
		if err := a.wait(ctx, backoff); err != nil {
			return err
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}
