package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/bhxh-tn/bhxhbot/bot/postgres"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
)

// cmdMigrateStore copies the bot's SQLite database into an empty
// PostgreSQL database: every table, row for row, in one transaction (all or
// nothing), then checks that each table holds as many rows on both sides.
// Both stores are first brought to the same schema version by their own
// migrations. The bot must be stopped meanwhile: what it writes during the
// copy would not be copied.
func cmdMigrateStore(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("migrate-store", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "tệp SQLite của bot (nguồn), ví dụ data/bhxhbot.db")
	to := fs.String("to", "", "URL PostgreSQL (đích, phải còn trống), ví dụ postgres://bhxh:MẬT_KHẨU@db.example.vn:5432/bhxh")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	switch {
	case *from == "" || *to == "" || fs.NArg() > 0:
		fmt.Fprintln(stderr, "Cách dùng: faqctl migrate-store -from data/bhxhbot.db -to postgres://NGƯỜI_DÙNG:MẬT_KHẨU@MÁY:5432/TÊN_CSDL")
		return 2
	case postgres.IsURL(*from):
		fmt.Fprintln(stderr, "faqctl migrate-store: -from là tệp SQLite, không phải URL postgres://")
		return 2
	case !postgres.IsURL(*to):
		fmt.Fprintln(stderr, "faqctl migrate-store: -to phải là URL bắt đầu bằng postgres:// hoặc postgresql://")
		return 2
	}
	if _, err := os.Stat(*from); err != nil {
		fmt.Fprintf(stderr, "faqctl migrate-store: không mở được %s: %v\n", *from, err)
		return 1
	}
	// The bot's lock: what a running bot wrote after the copy would be lost.
	unlock, err := sqlite.Lock(*from)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl migrate-store:", err)
		fmt.Fprintln(stderr, "  Bot (hoặc bản chạy thử -console) đang dùng tệp này: dừng nó trước, rồi chạy lại; những gì nó ghi sau khi chép sẽ bị mất. Không có gì bị ghi.")
		return 1
	}
	defer unlock()
	counts, err := migrateStore(ctx, *from, *to)
	if err != nil {
		fmt.Fprintln(stderr, "faqctl migrate-store:", err)
		if errors.Is(err, postgres.ErrNotEmpty) {
			fmt.Fprintln(stderr, "  Cơ sở dữ liệu đích đã có dữ liệu: hãy tạo một cơ sở dữ liệu mới, trống (createdb), rồi chạy lại. Không có gì bị ghi.")
		}
		return 1
	}
	total := int64(0)
	for _, c := range counts {
		fmt.Fprintf(stdout, "%-20s %8d\n", c.table, c.rows)
		total += c.rows
	}
	fmt.Fprintf(stdout, "Đã chép %d dòng từ %s sang PostgreSQL; số dòng từng bảng khớp ở hai bên.\n", total, *from)
	fmt.Fprintln(stdout, "Chạy bot với BHXHBOT_DB=<URL đó>; giữ tệp SQLite cũ làm bản sao lưu cho đến khi chắc chắn.")
	return 0
}

type tableCount struct {
	table string
	rows  int64
}

// migrateStore copies every table of the SQLite file into the PostgreSQL
// database at url and returns the rows copied per table. The SQLite side is
// read in one transaction (a consistent snapshot).
func migrateStore(ctx context.Context, file, url string) ([]tableCount, error) {
	src, err := sqlite.Open(ctx, file)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	dst, err := postgres.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer dst.Close()
	rtx, err := src.DB().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("sqlite: read: %w", err)
	}
	defer rtx.Rollback()
	var counts []tableCount
	err = dst.Import(ctx, func(ctx context.Context, im *postgres.Importer) error {
		for _, t := range im.Tables() {
			n, err := copyTable(ctx, rtx, im, t)
			if err != nil {
				return err
			}
			var want int64
			if err := rtx.QueryRowContext(ctx, `SELECT count(*) FROM `+t.Name).Scan(&want); err != nil {
				return fmt.Errorf("sqlite: count %s: %w", t.Name, err)
			}
			got, err := im.Count(ctx, t.Name)
			if err != nil {
				return err
			}
			if n != want || got != want {
				return fmt.Errorf("%s: %d rows in SQLite, %d copied, %d in PostgreSQL: nothing was written", t.Name, want, n, got)
			}
			counts = append(counts, tableCount{t.Name, n})
		}
		return nil
	})
	return counts, err
}

// copyTable streams one table's rows from SQLite into the import.
func copyTable(ctx context.Context, rtx *sql.Tx, im *postgres.Importer, t postgres.Table) (int64, error) {
	rows, err := rtx.QueryContext(ctx, `SELECT `+strings.Join(t.Columns, ", ")+` FROM `+t.Name)
	if err != nil {
		// A table PostgreSQL has and SQLite lacks means the two binaries'
		// schemas differ: say so rather than copy half a database.
		return 0, fmt.Errorf("sqlite: read %s (are both databases at the same schema version?): %w", t.Name, err)
	}
	defer rows.Close()
	return im.Copy(ctx, t.Name, t.Columns, func() ([]any, error) {
		if !rows.Next() {
			return nil, rows.Err()
		}
		vals := make([]any, len(t.Columns))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("sqlite: read %s: %w", t.Name, err)
		}
		return vals, nil
	})
}
