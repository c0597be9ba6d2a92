package telegram

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The library rewrites the URL of a *url.Error while another goroutine may
// format it (a data race); apiClient must never hand it one, and its errors
// must not carry the URL with the token.
func TestAPIClientHidesURLErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // connection refused from now on

	c := apiClient{newHTTPClient(0)}
	req, err := http.NewRequest(http.MethodPost, addr+"/bot123456:SECRET-token/getUpdates", nil)
	require.NoError(t, err)
	_, err = c.Do(req)
	require.Error(t, err)

	var ue *url.Error
	assert.False(t, errors.As(err, &ue), "a *url.Error reached the library: %v", err)
	var te *transportError
	require.True(t, errors.As(err, &te))
	assert.NotContains(t, err.Error(), "SECRET")
	assert.Equal(t, errNetwork, errKind(err))
}
