package sqlite_test

import (
	"bytes"
	"context"
	"errors"
	"github.com/bhxh-tn/bhxhbot/calc"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bhxh-tn/bhxhbot/bot/handoff"
	"github.com/bhxh-tn/bhxhbot/bot/sqlite"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, calc.Vietnam) // a Monday morning

func openAt(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func newLead(user int64) handoff.Lead {
	return handoff.Lead{UserID: user, ChatID: user, AgentID: "hyn-bd-thaithuy", ProvinceID: "hung-yen", Commune: "xã Thái Thụy",
		Name: "Lan", Phone: "0912345678", Context: "đóng bao nhiêu", ConsentVersion: handoff.ConsentVersion, ConsentAt: t0,
		RecipientChatID: -100, RecipientName: "Bưu điện", FallbackChatID: -500, FallbackName: "BHXH tỉnh",
		Status: handoff.StatusNew, CreatedAt: t0, UpdatedAt: t0, EscalateAt: t0.Add(4 * time.Hour)}
}

func card(chat int64) handoff.OutboxItem {
	return handoff.OutboxItem{Kind: handoff.ItemCard, ChatID: chat, WithPhone: true, NextAttempt: t0, CreatedAt: t0}
}

// must fails loudly on an unexpected store error (tests only).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// fileHas reports whether the database file or its WAL still holds b
// anywhere in their bytes (free pages included).
func fileHas(t *testing.T, path string, b string) bool {
	t.Helper()
	for _, p := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		require.NoError(t, err)
		if bytes.Contains(data, []byte(b)) {
			return true
		}
	}
	return false
}

// A deleted phone number must be gone from the file itself, not only from
// the tables: SQLite leaves deleted rows in free pages and in the WAL
// unless told otherwise.
func TestHandoffStore_deletedPhoneGoneFromTheFile(t *testing.T) {
	ctx := context.Background()
	for _, how := range []string{"xoa", "purge"} {
		t.Run(how, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "b.db")
			s := openAt(t, path)
			l := newLead(1)
			l.Phone, l.Name = "0987654321", "Tran Thi Hoa"
			must(s.CreateLeadWithOutbox(ctx, l, card(-100)))
			must(s.CreateLeadWithOutbox(ctx, newLead(2), card(-100)))
			require.True(t, fileHas(t, path, "0987654321"), "precondition: the phone is written")
			if how == "xoa" {
				require.NoError(t, s.DeleteUserLeads(ctx, 1))
			} else {
				must(s.PurgeLeads(ctx, t0.Add(time.Second)))
			}
			assert.False(t, fileHas(t, path, "0987654321"), "phone left in the database file")
			assert.False(t, fileHas(t, path, "Tran Thi Hoa"), "name left in the database file")
			require.NoError(t, s.Close())
			assert.False(t, fileHas(t, path, "0987654321"), "phone left after close")
		})
	}
}
