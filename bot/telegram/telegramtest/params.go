package telegramtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// readParams collects the parameters of a Bot API request from the query
// string and a urlencoded, multipart or JSON body, as Telegram accepts them.
// JSON objects and arrays are kept as their JSON text, as a form carries them.
func readParams(r *http.Request) (map[string]string, error) {
	params := map[string]string{}
	for k, v := range r.URL.Query() {
		if len(v) > 0 {
			params[k] = v[0]
		}
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		err := r.ParseMultipartForm(32 << 20)
		if errors.Is(err, io.EOF) || err != nil && strings.HasSuffix(err.Error(), "EOF") {
			break // an empty body: a method without parameters
		}
		if err != nil {
			return nil, fmt.Errorf("can't parse multipart form: %v", err)
		}
		for k, v := range r.MultipartForm.Value {
			if len(v) > 0 {
				params[k] = v[0]
			}
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return nil, fmt.Errorf("can't parse form: %v", err)
		}
		for k, v := range r.PostForm {
			if len(v) > 0 {
				params[k] = v[0]
			}
		}
	case "application/json":
		body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
		if err != nil {
			return nil, err
		}
		if len(strings.TrimSpace(string(body))) == 0 {
			break
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, fmt.Errorf("can't parse JSON object")
		}
		for k, v := range m {
			var str string
			if len(v) > 0 && v[0] == '"' && json.Unmarshal(v, &str) == nil {
				params[k] = str
			} else {
				params[k] = string(v)
			}
		}
	}
	return params, nil
}

func parseChatID(s string) (int64, bool) {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return id, err == nil && id != 0
}

func decodeMarkup(raw string) (*ReplyMarkup, error) {
	var m ReplyMarkup
	dec := json.NewDecoder(strings.NewReader(raw))
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("can't parse reply keyboard markup JSON object")
	}
	return &m, nil
}
