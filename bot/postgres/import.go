package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Moving a SQLite database over (faqctl migrate-store): the tables are the
// same, column for column, so rows are copied as they are.

// Table is a table of the schema and its columns, in the order they were
// created.
type Table struct {
	Name    string
	Columns []string
}

// Importer fills an empty database in one transaction (Store.Import).
type Importer struct {
	tx     pgx.Tx
	tables []Table
}

// Tables lists the tables to fill, each after the tables it refers to;
// the store's own bookkeeping (schema_migrations, store_meta) is left out.
func (im *Importer) Tables() []Table { return im.tables }

// Copy appends rows to table: next returns the values of the next row, in
// the order of cols, or nil at the end. It returns how many rows it copied.
func (im *Importer) Copy(ctx context.Context, table string, cols []string, next func() ([]any, error)) (int64, error) {
	n, err := im.tx.CopyFrom(ctx, pgx.Identifier{table}, cols, &rowSource{next: next})
	if err != nil {
		return n, fmt.Errorf("postgres: copy %s: %w", table, normalize(err))
	}
	return n, nil
}

// Count returns how many rows table holds, as the import's transaction sees it.
func (im *Importer) Count(ctx context.Context, table string) (int64, error) {
	var n int64
	if err := im.tx.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{table}.Sanitize()).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count %s: %w", table, normalize(err))
	}
	return n, nil
}

type rowSource struct {
	next func() ([]any, error)
	row  []any
	err  error
}

func (r *rowSource) Next() bool {
	r.row, r.err = r.next()
	return r.err == nil && r.row != nil
}
func (r *rowSource) Values() ([]any, error) { return r.row, nil }
func (r *rowSource) Err() error             { return r.err }

// ErrNotEmpty is returned by Import when the database already holds rows.
var ErrNotEmpty = fmt.Errorf("postgres: the database already holds data")

// Import runs fn in one transaction on a database that holds no rows yet
// (migrations applied, nothing else), then moves every id sequence past the
// ids copied, and commits: the copy is all or nothing. Errors: ErrNotEmpty
// (naming a table that has rows), fn's, the database's.
func (s *Store) Import(ctx context.Context, fn func(ctx context.Context, im *Importer) error) error {
	return s.write(ctx, "import", func(tx pgx.Tx) error {
		tables, err := schemaTables(ctx, tx)
		if err != nil {
			return err
		}
		im := &Importer{tx: tx, tables: tables}
		for _, t := range tables {
			n, err := im.Count(ctx, t.Name)
			if err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("%w (%s: %d rows): copy into a new, empty database", ErrNotEmpty, t.Name, n)
			}
		}
		if err := fn(ctx, im); err != nil {
			return err
		}
		// Identity columns were given the ids copied: new rows continue
		// after them.
		rows, err := tx.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND is_identity = 'YES'`)
		if err != nil {
			return err
		}
		var idents [][2]string
		var t, c string
		if _, err := pgx.ForEachRow(rows, []any{&t, &c}, func() error { idents = append(idents, [2]string{t, c}); return nil }); err != nil {
			return err
		}
		for _, tc := range idents {
			tbl, col := pgx.Identifier{tc[0]}.Sanitize(), pgx.Identifier{tc[1]}.Sanitize()
			if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(`+col+`), 0) + 1, false) FROM `+tbl,
				tc[0], tc[1]); err != nil {
				return err
			}
		}
		return nil
	})
}

// schemaTables lists the tables and columns of the current schema, parents
// (tables referred to by a foreign key) before children.
func schemaTables(ctx context.Context, tx pgx.Tx) ([]Table, error) {
	rows, err := tx.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name NOT IN ('schema_migrations', 'store_meta')
		ORDER BY table_name, ordinal_position`)
	if err != nil {
		return nil, err
	}
	cols := map[string][]string{}
	var names []string
	var t, c string
	if _, err := pgx.ForEachRow(rows, []any{&t, &c}, func() error {
		if cols[t] == nil {
			names = append(names, t)
		}
		cols[t] = append(cols[t], c)
		return nil
	}); err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c
		JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = current_schema()`)
	if err != nil {
		return nil, err
	}
	parents := map[string][]string{}
	var child, parent string
	if _, err := pgx.ForEachRow(rows, []any{&child, &parent}, func() error {
		parents[child] = append(parents[child], parent)
		return nil
	}); err != nil {
		return nil, err
	}
	var out []Table
	done := map[string]bool{}
	var visit func(name string, depth int) error
	visit = func(name string, depth int) error {
		if done[name] || cols[name] == nil {
			return nil
		}
		if depth > len(names) {
			return fmt.Errorf("foreign keys form a cycle at %s", name)
		}
		for _, p := range parents[name] {
			if p != name {
				if err := visit(strings.Trim(p, `"`), depth+1); err != nil {
					return err
				}
			}
		}
		done[name] = true
		out = append(out, Table{Name: name, Columns: cols[name]})
		return nil
	}
	slices.Sort(names)
	for _, n := range names {
		if err := visit(n, 0); err != nil {
			return nil, err
		}
	}
	return out, nil
}
