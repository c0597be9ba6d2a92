package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/bhxh-tn/bhxhbot/bot"
)

// Health of the database: refused at start when damaged, watched while the
// bot runs (can it still write?), and copied from the WAL into the main file
// every minute so that losing the -wal file loses at most that minute.

// ErrDamaged is returned by Open for a file that is not a database or fails
// SQLite's integrity check.
var ErrDamaged = errors.New("sqlite: database damaged")

// damaged explains what to do with a damaged database file.
func damaged(path, detail string) error {
	return fmt.Errorf("%w: %s (%s). Stop here rather than lose more: restore the last backup, "+
		"or save what is readable with: sqlite3 %s \".recover\" | sqlite3 recovered.db, check it, and start with -db recovered.db",
		ErrDamaged, path, detail, path)
}

// quickCheck runs PRAGMA quick_check (every page and index, not the
// contents of each row; linear in the file's size). Errors: ErrDamaged.
func (s *Store) quickCheck(ctx context.Context, path string) error {
	rows, err := s.db.QueryContext(ctx, `PRAGMA quick_check(5)`)
	if err != nil {
		if isCorrupt(err) {
			return damaged(path, err.Error())
		}
		return fmt.Errorf("sqlite: check %s: %w", path, normalize(err))
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("sqlite: check %s: %w", path, normalize(err))
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		if isCorrupt(err) {
			return damaged(path, err.Error())
		}
		return fmt.Errorf("sqlite: check %s: %w", path, normalize(err))
	}
	if len(problems) > 0 {
		return damaged(path, "quick_check: "+strings.Join(problems, "; "))
	}
	return nil
}

// isCorrupt reports whether err is SQLite's "damaged" or "not a database".
func isCorrupt(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return true
	}
	return false
}

// Run-state values in store_meta.
const (
	runRunning = "running"
	runClean   = "clean"
)

// Startup is what Start found.
type Startup struct {
	// WALLost: the bot stopped without closing the database (killed,
	// crashed, power) and the -wal file, which then holds the latest
	// changes, is gone. What was written after LastCheckpoint is lost.
	WALLost        bool
	LastCheckpoint time.Time // zero when none was recorded
}

// Start marks the database as used by a running bot (until Close) and
// reports whether the previous run's latest changes were lost with its -wal
// file. Only the bot calls it, not faqctl.
func (s *Store) Start(ctx context.Context) (Startup, error) {
	var st Startup
	state, _ := s.meta(ctx, "run_state")
	if cp, _ := s.meta(ctx, "last_checkpoint"); cp != "" {
		if sec, err := strconv.ParseInt(cp, 10, 64); err == nil {
			st.LastCheckpoint = time.Unix(sec, 0)
		}
	}
	st.WALLost = state == runRunning && !s.hadWAL
	if err := s.setMeta(ctx, "run_state", runRunning); err != nil {
		return st, err
	}
	s.started.Store(true)
	if _, err := s.Checkpoint(ctx, time.Now()); err != nil {
		return st, err
	}
	return st, nil
}

// CheckpointResult is what a checkpoint did, in WAL frames (pages).
type CheckpointResult struct {
	Busy         bool // a reader or writer kept it from finishing; the next one will
	Log          int  // frames in the WAL
	Checkpointed int  // frames now in the main file
}

// Checkpoint records now as the last checkpoint and copies the WAL into the
// main database file without waiting for readers or writers (PASSIVE).
func (s *Store) Checkpoint(ctx context.Context, now time.Time) (CheckpointResult, error) {
	var r CheckpointResult
	if err := s.setMeta(ctx, "last_checkpoint", strconv.FormatInt(now.Unix(), 10)); err != nil {
		return r, err
	}
	var busy int
	if err := s.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &r.Log, &r.Checkpointed); err != nil {
		return r, fmt.Errorf("sqlite: checkpoint: %w", s.note(normalize(err)))
	}
	r.Busy = busy != 0
	return r, nil
}

// Transport returns the front end recorded by SetTransport ("telegram"),
// "" when none was.
func (s *Store) Transport(ctx context.Context) (string, error) {
	return s.meta(ctx, "transport")
}

// SetTransport records which front end runs on the database: the Telegram
// bot records "telegram", so that the terminal console can refuse to
// deliver its queued replies and call-back cards.
func (s *Store) SetTransport(ctx context.Context, name string) error {
	return s.setMeta(ctx, "transport", name)
}

func (s *Store) meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM store_meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("sqlite: read %s: %w", key, normalize(err))
	}
	return v, nil
}

func (s *Store) setMeta(ctx context.Context, key, value string) error {
	return s.write(ctx, "write "+key, func(tx *sql.Tx) error {
		_, err := s.txExec(ctx, tx, `INSERT INTO store_meta(key, value) VALUES (?, ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
		return err
	})
}

// Health reports why the store cannot do its job, or nil: it fails while
// the bot's last write failed (with nothing written since), after a read
// found damaged pages, and when a write of its own fails (a full disk, a
// read-only file, an I/O error).
func (s *Store) Health(ctx context.Context, now time.Time) error {
	if s.corrupt.Load() {
		return fmt.Errorf("%w: a read found damaged pages; run PRAGMA quick_check", ErrDamaged)
	}
	if p := s.lastWriteErr.Load(); p != nil {
		return fmt.Errorf("sqlite: the last write failed: %w", *p)
	}
	// A write of its own, which does not count as the bot's.
	s.wlock.lock(false)
	defer s.wlock.unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: health write: %w", normalize(err))
	}
	defer tx.Rollback()
	if _, err := s.txExec(ctx, tx, `INSERT INTO store_meta(key, value) VALUES ('health', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, now.UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("sqlite: health write: %w", s.note(normalize(err)))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: health write: %w", s.note(normalize(err)))
	}
	return nil
}

// note records a write or read outcome for Health and returns err.
func (s *Store) note(err error) error {
	switch {
	case err == nil:
	case isCorrupt(err):
		s.corrupt.Store(true)
	}
	return err
}

// noteWrite records the outcome of a write transaction for Health.
func (s *Store) noteWrite(err error) {
	switch {
	case err == nil:
		s.lastWriteErr.Store(nil)
	case errors.Is(err, bot.ErrUnavailable) || isCorrupt(err):
		s.note(err)
		s.lastWriteErr.Store(&err)
	}
}

// walExists reports whether path's -wal file is there (before opening it).
func walExists(path string) bool {
	_, err := os.Stat(path + "-wal")
	return err == nil
}

// storeHealth is the part of Store that Health reads.
type storeHealth struct {
	hadWAL       bool                  // the -wal file existed when Open was called
	started      atomic.Bool           // Start was called: Close marks a clean stop
	corrupt      atomic.Bool           // a read or write met damaged pages
	lastWriteErr atomic.Pointer[error] // the last write transaction's error, nil after a success
}
