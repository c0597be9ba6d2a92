// Package postgres is the store adapter for PostgreSQL, the database several
// replicas of the bot share: it implements bot.Store, handoff.Store and the
// outbox of replies (telegram.Outbox) with the semantics of bot/sqlite,
// through github.com/jackc/pgx/v5 (the only importer of it).
//
// What makes several replicas safe:
//   - Store.LockChat takes a session advisory lock keyed by the chat id on a
//     connection of its own, so the events of one chat are handled one at a
//     time across replicas (a replica that dies loses its connection, and
//     PostgreSQL frees its locks);
//   - the processed update ids are a primary key: a redelivered update is
//     answered once whichever replica gets it (bot.ErrDuplicate);
//   - the outbox of replies, the lead cards and the card redactions are
//     claimed with FOR UPDATE SKIP LOCKED and leased, so each is taken by one
//     replica, and by another one only once the lease has run out;
//   - the periodic pruning and the purge of expired leads run under
//     transaction advisory locks taken with pg_try_advisory_xact_lock: one
//     replica at a time, the others skip that round;
//   - migrations are applied under pg_advisory_lock, each in a transaction,
//     and recorded in schema_migrations under the same names as bot/sqlite's.
//
// Times are stored as unix seconds (milliseconds in the outbox) in BIGINT
// columns, as in SQLite, so that faqctl migrate-store copies rows unchanged.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bhxh-tn/bhxhbot/bot"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store implements bot.Store, handoff.Store and the outbox of replies on a
// PostgreSQL database. It is safe for concurrent use, and several processes
// may use one database at once.
type Store struct {
	pool *pgxpool.Pool
	// locks holds the connections that keep chats locked (LockChat), apart
	// from pool, so that handlers holding a lock never wait for a connection
	// that other lock holders hold.
	locks  *pgxpool.Pool
	heldMu sync.Mutex
	held   map[*heldLock]struct{} // chat locks not yet unlocked
	// owners shows the lease owners of this process alive to the other
	// replicas (ownerAlive).
	owners owners
	// direct is the local sender taking replies as they are queued
	// (DirectOutbox); nil when there is none.
	direct atomic.Pointer[directSink]
}

var _ bot.Store = (*Store)(nil)

// DefaultMaxConns is the size of each of the store's two connection pools
// unless the URL sets pool_max_conns: a replica holds up to twice as many
// connections (mind max_connections, 100 by default, across replicas).
const DefaultMaxConns = 12

// Advisory lock keys: the two-key form, in a class of its own, so that they
// never meet the chat locks (one bigint key: the chat id).
const (
	lockClass   int32 = 0x62687868 // "bhxh"
	lockMigrate int32 = 1
	lockPrune   int32 = 2
	lockPurge   int32 = 3
	// lockOwners is the class of the locks that show a lease owner alive:
	// the second key is hashtext(owner).
	lockOwners int32 = 0x62686f77 // "bhow"
)

// IsURL reports whether dsn names a PostgreSQL database (postgres:// or
// postgresql://) rather than a SQLite file.
func IsURL(dsn string) bool {
	d := strings.ToLower(strings.TrimSpace(dsn))
	return strings.HasPrefix(d, "postgres://") || strings.HasPrefix(d, "postgresql://")
}

// Open connects to the database at url (postgres://user:pass@host:port/db?
// sslmode=...; pool_max_conns and other pgx settings may be added) and
// applies pending migrations under an advisory lock, so that replicas
// starting together apply each once. Errors: a malformed URL, the database
// unreachable (bot.ErrUnavailable), or a migration failing.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The URL may hold a password: pgx's message does not repeat it.
		return nil, fmt.Errorf("postgres: bad database URL: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns
	}
	rp := cfg.ConnConfig.RuntimeParams
	if rp["application_name"] == "" {
		rp["application_name"] = "bhxhbot"
	}
	// A replica whose machine dies holds its chat locks until the server
	// notices the connection is gone: ask it to probe idle connections
	// after 30 s, so that takes about a minute rather than hours.
	for k, v := range map[string]string{"tcp_keepalives_idle": "30", "tcp_keepalives_interval": "10", "tcp_keepalives_count": "3"} {
		if rp[k] == "" {
			rp[k] = v
		}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", normalize(err))
	}
	lcfg := cfg.Copy()
	lcfg.MinConns = 0
	locks, err := pgxpool.NewWithConfig(ctx, lcfg)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect: %w", normalize(err))
	}
	s := &Store{pool: pool, locks: locks, held: map[*heldLock]struct{}{}, owners: owners{cfg: cfg.ConnConfig}}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the connections, those holding chat locks included (which
// frees the locks).
func (s *Store) Close() error {
	s.heldMu.Lock()
	held := s.held
	s.held = map[*heldLock]struct{}{}
	s.heldMu.Unlock()
	for h := range held {
		h.once.Do(func() { discard(h.conn) })
	}
	s.owners.close()
	s.locks.Close()
	s.pool.Close()
	return nil
}

// PingContext checks that the database answers.
func (s *Store) PingContext(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", normalize(err))
	}
	return nil
}

// Pool gives tools and tests access to the same database.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// write runs fn in a transaction and commits it. Errors are wrapped as
// "postgres: what: ..." and normalised (bot.ErrUnavailable when the database
// cannot be reached or written); an error fn returns as is (bot.ErrDuplicate)
// keeps its identity.
func (s *Store) write(ctx context.Context, what string, fn func(tx pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: %s: %w", what, normalize(err))
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := fn(tx); err != nil {
		return fmt.Errorf("postgres: %s: %w", what, normalize(err))
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: %s: %w", what, normalize(err))
	}
	return nil
}

// exclusive runs fn in a transaction holding the advisory lock key, unless
// another process holds it: then it does nothing and reports false.
func (s *Store) exclusive(ctx context.Context, what string, key int32, fn func(tx pgx.Tx) error) (bool, error) {
	ran := false
	err := s.write(ctx, what, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1, $2)`, lockClass, key).Scan(&ran); err != nil || !ran {
			return err
		}
		return fn(tx)
	})
	return ran && err == nil, err
}

// LockChat keeps the chat locked for this store until unlock is called:
// another store (replica) asking for the same chat waits. The lock lives on
// a connection of its own; if the process dies, PostgreSQL frees it with
// the connection. Errors (bot.ErrUnavailable): no connection, or ctx ended
// while another replica held the chat.
func (s *Store) LockChat(ctx context.Context, chatID int64) (func(), error) {
	conn, err := s.locks.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: lock chat: %w", unavailable(err))
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, chatID); err != nil {
		// The wait may have been cut half-way: a connection in doubt is
		// closed, which frees whatever it holds.
		discard(conn)
		return nil, fmt.Errorf("postgres: lock chat: %w", unavailable(err))
	}
	h := &heldLock{conn: conn}
	s.heldMu.Lock()
	s.held[h] = struct{}{}
	s.heldMu.Unlock()
	return func() {
		s.heldMu.Lock()
		delete(s.held, h)
		s.heldMu.Unlock()
		h.once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			var ok bool
			if err := conn.QueryRow(ctx, `SELECT pg_advisory_unlock($1)`, chatID).Scan(&ok); err != nil || !ok {
				discard(conn)
				return
			}
			conn.Release()
		})
	}, nil
}

// heldLock is a connection holding a chat lock; once makes its release
// happen once, by unlock or by Close.
type heldLock struct {
	conn *pgxpool.Conn
	once sync.Once
}

// discard closes a pooled connection and gives it back (the pool drops it).
func discard(conn *pgxpool.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = conn.Conn().Close(ctx)
	conn.Release()
}

// Migrations lists the embedded migration names in the order they apply;
// they are bot/sqlite's names (the same schema versions).
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

// migrate applies the pending migrations, each in a transaction, holding
// the migration lock so that replicas starting at once apply each once.
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", normalize(err))
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1, $2)`, lockClass, lockMigrate); err != nil {
		discard(conn)
		return fmt.Errorf("postgres: migrations: lock: %w", normalize(err))
	}
	defer func() {
		if _, err := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1, $2)`, lockClass, lockMigrate); err != nil {
			_ = conn.Conn().Close(context.WithoutCancel(ctx))
		}
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("postgres: migrations table: %w", normalize(err))
	}
	names, err := Migrations()
	if err != nil {
		return fmt.Errorf("postgres: list migrations: %w", err)
	}
	rows, err := conn.Query(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", normalize(err))
	}
	applied, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", normalize(err))
	}
	if err := bot.CheckSchema("database "+conn.Conn().Config().Database, applied, names); err != nil {
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
		if err := apply(ctx, conn.Conn(), name); err != nil {
			return err
		}
	}
	return nil
}

func apply(ctx context.Context, conn *pgx.Conn, name string) error {
	src, err := migrations.ReadFile("migrations/" + name)
	if err != nil {
		return fmt.Errorf("postgres: read migration %s: %w", name, err)
	}
	var done bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE name = $1)`, name).Scan(&done); err != nil {
		return fmt.Errorf("postgres: migration %s: %w", name, normalize(err))
	}
	if done {
		return nil
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migration %s: %w", name, normalize(err))
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	// The simple protocol runs a file of several statements at once.
	if _, err := tx.Exec(ctx, string(src), pgx.QueryExecModeSimpleProtocol); err != nil {
		return fmt.Errorf("postgres: apply migration %s: %w", name, normalize(err))
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations(name, applied_at) VALUES ($1, $2)`, name, time.Now().Unix()); err != nil {
		return fmt.Errorf("postgres: record migration %s: %w", name, normalize(err))
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit migration %s: %w", name, normalize(err))
	}
	return nil
}

// normalize maps driver errors onto the bot's named errors, keeping the
// original in the chain: no row is bot.ErrNotFound, a constraint violated
// bot.ErrConflict, and what a later try may get past (the server
// unreachable, shutting down, out of resources, read-only, a serialization
// failure or deadlock) bot.ErrUnavailable.
func normalize(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return bot.ErrNotFound
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "23"): // integrity constraint violation
			return fmt.Errorf("%w: %v", bot.ErrConflict, err)
		case pe.Code == "40001", pe.Code == "40P01", // serialization failure, deadlock
			pe.Code == "25006",                                                 // read-only transaction (a standby)
			strings.HasPrefix(pe.Code, "08"), strings.HasPrefix(pe.Code, "53"), // connection, resources
			strings.HasPrefix(pe.Code, "57P"), strings.HasPrefix(pe.Code, "58"): // shutdown, system error
			return fmt.Errorf("%w: %v", bot.ErrUnavailable, err)
		}
		return err
	}
	if isConnError(err) {
		return fmt.Errorf("%w: %v", bot.ErrUnavailable, err)
	}
	return err
}

// unavailable is normalize for errors that can only mean the store is out
// of reach for now (a lock not taken in time included).
func unavailable(err error) error {
	if n := normalize(err); errors.Is(n, bot.ErrUnavailable) {
		return n
	}
	return fmt.Errorf("%w: %v", bot.ErrUnavailable, err)
}

func isConnError(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || pgconn.Timeout(err) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed)
}

// Transport returns the front end recorded by SetTransport ("telegram"),
// "" when none was.
func (s *Store) Transport(ctx context.Context) (string, error) {
	var v string
	err := s.pool.QueryRow(ctx, `SELECT value FROM store_meta WHERE key = 'transport'`).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("postgres: read transport: %w", normalize(err))
	}
	return v, nil
}

// SetTransport records which front end runs on the database: the Telegram
// bot records "telegram", so that the terminal console can refuse to
// deliver its queued replies and call-back cards.
func (s *Store) SetTransport(ctx context.Context, name string) error {
	return s.write(ctx, "write transport", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO store_meta(key, value) VALUES ('transport', $1)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, name)
		return err
	})
}

// Health reports why the store cannot do its job, or nil: it writes a row
// of its own, so a database that answers but refuses writes (a standby, a
// full disk, a read-only user) fails it.
func (s *Store) Health(ctx context.Context, now time.Time) error {
	return s.write(ctx, "health write", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO store_meta(key, value) VALUES ('health', $1)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, now.UTC().Format(time.RFC3339))
		return err
	})
}
