// Package sqlite is the store adapter: it implements bot.Store on an
// embedded SQLite database through the pure-Go modernc.org/sqlite driver (the
// only importer of that driver). The database runs in WAL mode with a busy
// timeout and foreign keys on; migrations are embedded SQL files applied in
// lexical order, each in a transaction, and recorded in schema_migrations.
// Other modules (the hand-off) add their own migration files and methods on
// *Store in this package, or use DB() directly.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bhxh-tn/bhxhbot/bot"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store implements bot.Store. It is safe for concurrent use.
type Store struct {
	db     *sql.DB
	wlock  writeLock // this process's write transactions, one at a time
	forget forgetter // DeleteOutbox calls waiting together
	// stmts caches the statements run for every update (query → *sql.Stmt):
	// parsing them again each time cost as much as running them.
	stmts sync.Map
	// direct is the local sender taking replies as they are queued
	// (DirectOutbox); nil when there is none.
	direct atomic.Pointer[directSink]
	storeHealth
}

var _ bot.Store = (*Store)(nil)

// Open opens (creating when needed) the database at path, creating its
// directory, checks its integrity (PRAGMA quick_check) and applies pending
// migrations. Errors: the directory cannot be created, the file cannot be
// opened, ErrDamaged (not a database, or damaged: the message says what to
// do), or a migration fails.
func Open(ctx context.Context, path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: create %s: %w", dir, err)
		}
	}
	hadWAL := walExists(path)
	if err := checkOwnFile(ctx, path); err != nil {
		return nil, err
	}
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=secure_delete(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		if isCorrupt(err) {
			return nil, damaged(path, err.Error())
		}
		return nil, fmt.Errorf("sqlite: open %s: %w", path, normalize(err))
	}
	s := &Store{db: db}
	s.hadWAL = hadWAL
	if err := s.quickCheck(ctx, path); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.migrate(ctx, path); err != nil {
		db.Close()
		if isCorrupt(err) {
			return nil, damaged(path, err.Error())
		}
		return nil, err
	}
	return s, nil
}

// write runs fn in a write transaction and commits it. Errors are wrapped
// as "sqlite: what: ..." and normalised (bot.ErrUnavailable when the
// database cannot be written); an error fn returns as is (bot.ErrDuplicate)
// keeps its identity.
func (s *Store) write(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	return s.writeTx(ctx, false, what, fn)
}

// writeTx is write, ahead of the others when urgent.
func (s *Store) writeTx(ctx context.Context, urgent bool, what string, fn func(tx *sql.Tx) error) error {
	s.wlock.lock(urgent)
	defer s.wlock.unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		err = normalize(err)
		s.noteWrite(err)
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		err = normalize(err)
		s.noteWrite(err)
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		err = normalize(err)
		s.noteWrite(err)
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	s.noteWrite(nil)
	return nil
}

// prepared returns the statement for q, prepared once per store (and by
// database/sql once per connection).
func (s *Store) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := s.stmts.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// txStmt is prepared(q) for use in tx.
func (s *Store) txStmt(ctx context.Context, tx *sql.Tx, q string) (*sql.Stmt, error) {
	st, err := s.prepared(ctx, q)
	if err != nil {
		return nil, err
	}
	return tx.StmtContext(ctx, st), nil
}

// txExec runs the cached statement q in tx.
func (s *Store) txExec(ctx context.Context, tx *sql.Tx, q string, args ...any) (sql.Result, error) {
	st, err := s.txStmt(ctx, tx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// DB gives other modules of the bot (the hand-off) access to the same database.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database. After Start it first records a clean stop
// (the -wal file is then merged into the main file and removed by SQLite).
func (s *Store) Close() error {
	var err error
	if s.started.Load() {
		err = s.setMeta(context.Background(), "run_state", runClean)
	}
	s.stmts.Range(func(_, st any) bool { st.(*sql.Stmt).Close(); return true })
	return errors.Join(err, s.db.Close())
}

// Migrations lists the embedded migration names in the order they apply.
func Migrations() ([]string, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for i, n := range names {
		names[i] = strings.TrimPrefix(n, "migrations/")
	}
	return names, nil
}

// migrate applies the pending migrations; a database migrated by a newer
// program is refused (bot.ErrNewerSchema) before anything is applied.
func (s *Store) migrate(ctx context.Context, path string) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: migrations table: %w", normalize(err))
	}
	names, err := Migrations()
	if err != nil {
		return fmt.Errorf("sqlite: list migrations: %w", err)
	}
	applied, err := s.appliedMigrations(ctx)
	if err != nil {
		return err
	}
	if err := bot.CheckSchema(path, applied, names); err != nil {
		return err
	}
	done := make(map[string]bool, len(applied))
	for _, a := range applied {
		done[a] = true
	}
	for _, name := range names {
		if done[name] {
			continue // read above: no transaction per migration at every open
		}
		if err := s.apply(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

// ErrNotBotDatabase: the file is a SQLite database of another program.
var ErrNotBotDatabase = errors.New("sqlite: not a bhxhbot database")

// checkOwnFile refuses a database that holds tables but not the bot's
// schema_migrations: another program's file, given as -db by mistake, into
// which the migrations would write the bot's tables. It reads through a
// read-only connection of its own, before the bot's settings (WAL) would
// change the file. A file that cannot be read as a database passes: opening
// it reports the damage.
func checkOwnFile(ctx context.Context, path string) error {
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		return nil // a new database
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil
		}
		if n == "schema_migrations" {
			return nil
		}
		tables = append(tables, n)
	}
	if rows.Err() != nil {
		return nil
	}
	if len(tables) == 0 {
		return nil // a new database
	}
	if len(tables) > 5 {
		tables = append(tables[:5], "…")
	}
	return fmt.Errorf("%w: %s holds the tables of another program (%s); nothing was written to it: give the bot's own file with -db (or BHXHBOT_DB)",
		ErrNotBotDatabase, path, strings.Join(tables, ", "))
}

// appliedMigrations lists the migrations recorded in the database.
func (s *Store) appliedMigrations(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: migrations: %w", normalize(err))
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("sqlite: migrations: %w", normalize(err))
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: migrations: %w", normalize(err))
	}
	return names, nil
}

func (s *Store) apply(ctx context.Context, name string) error {
	src, err := migrations.ReadFile("migrations/" + name)
	if err != nil {
		return fmt.Errorf("sqlite: read migration %s: %w", name, err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, normalize(err))
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, normalize(err))
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, string(src)); err != nil {
		return fmt.Errorf("sqlite: apply migration %s: %w", name, normalize(err))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)`, name, time.Now().Unix()); err != nil {
		return fmt.Errorf("sqlite: record migration %s: %w", name, normalize(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit migration %s: %w", name, normalize(err))
	}
	return nil
}

// normalize maps driver errors onto the bot's named errors, keeping the
// original in the chain.
func normalize(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return bot.ErrNotFound
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CONSTRAINT:
			return fmt.Errorf("%w: %w", bot.ErrConflict, err)
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL,
			sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return fmt.Errorf("%w: %w", bot.ErrUnavailable, err)
		}
	}
	return err
}
