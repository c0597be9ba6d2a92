package telegramtest

import (
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// newLocalServer serves srv on a loopback port until the test ends and
// returns its URL.
func newLocalServer(t *testing.T, srv *http.Server) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/hook"
}
