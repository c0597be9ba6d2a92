// Package pgtest gives tests a PostgreSQL database of their own on the
// server named by BHXHBOT_TEST_POSTGRES (.ci/run starts a throw-away one),
// and skips them when the variable is empty.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Env names the variable holding the URL of a PostgreSQL server on which
// tests may create and drop databases.
const Env = "BHXHBOT_TEST_POSTGRES"

// Available reports whether BHXHBOT_TEST_POSTGRES is set.
func Available() bool { return os.Getenv(Env) != "" }

// URL creates a new, empty database and returns its URL; the database is
// dropped when the test ends. Without BHXHBOT_TEST_POSTGRES the test is
// skipped.
func URL(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv(Env)
	if admin == "" {
		tb.Skipf("PostgreSQL tests skipped: %s is empty (.ci/run starts a server and sets it)", Env)
	}
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatalf("pgtest: %s is not a URL: %v", Env, err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "bhxhtest_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		tb.Fatalf("pgtest: connect to %s: %v", u.Redacted(), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		tb.Fatalf("pgtest: create database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			tb.Errorf("pgtest: drop database %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			tb.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}
