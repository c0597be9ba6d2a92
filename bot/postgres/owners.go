package postgres

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// A lease on replies says who holds it (lease_owner) and until when. A
// replica that is killed holds its leases until they run out (30 s), and
// the replies it had taken wait that long. To hand them on at once, each
// process shows its owners alive: it holds a session advisory lock per
// owner on a connection of its own, which PostgreSQL drops with the
// process. A claim treats a lease whose owner shows no such lock as run out.

// owners holds the liveness locks of this store's lease owners.
type owners struct {
	cfg  *pgx.ConnConfig
	mu   sync.Mutex
	conn *pgx.Conn
	held map[string]bool
}

// show makes owner visibly alive (once per connection). Errors: the
// database cannot be reached.
func (o *owners) show(ctx context.Context, owner string) error {
	if owner == "" {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.conn == nil || o.conn.IsClosed() {
		conn, err := pgx.ConnectConfig(ctx, o.cfg)
		if err != nil {
			return fmt.Errorf("postgres: show lease owner alive: %w", unavailable(err))
		}
		o.conn, o.held = conn, map[string]bool{}
	}
	if o.held[owner] {
		return nil
	}
	if _, err := o.conn.Exec(ctx, `SELECT pg_advisory_lock($1, hashtext($2))`, lockOwners, owner); err != nil {
		_ = o.conn.Close(context.WithoutCancel(ctx))
		return fmt.Errorf("postgres: show lease owner alive: %w", unavailable(err))
	}
	o.held[owner] = true
	return nil
}

func (o *owners) close() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = o.conn.Close(ctx)
		o.conn = nil
	}
}

// liveOwners is a WITH clause naming "live" the liveness locks held on
// this database; param is the query parameter holding lockOwners.
func liveOwners(param string) string {
	return `live AS (SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
		AND classid = ` + param + `::oid AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))`
}

// ownerAlive is an SQL condition, under liveOwners: the owner of the lease
// in column col shows a liveness lock (pg_locks gives the key as an
// unsigned oid).
func ownerAlive(col string) string {
	return `(hashtext(` + col + `)::bigint & 4294967295)::oid IN (SELECT objid FROM live)`
}
