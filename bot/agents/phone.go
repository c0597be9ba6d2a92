package agents

import (
	"errors"
	"strings"
)

// ErrPhone is returned for a phone number that is not a Vietnamese mobile
// (0[35789] + 8 digits), landline (02 + 9 digits) or 1900/1800 service number.
var ErrPhone = errors.New("số điện thoại phải là di động 10 số (03/05/07/08/09…), cố định 11 số (02…) hoặc 1900/1800…")

// NormalizePhone removes spaces, dots, dashes and brackets, turns +84/84 into
// a leading 0 and checks the format. It returns the digits, or ErrPhone.
func NormalizePhone(s string) (string, error) {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", ErrPhone
		}
	}
	d := b.String()
	if strings.HasPrefix(strings.TrimSpace(s), "+") || (strings.HasPrefix(d, "84") && len(d) >= 11) {
		if !strings.HasPrefix(d, "84") {
			return "", ErrPhone
		}
		d = "0" + d[2:]
	}
	switch {
	case len(d) == 10 && d[0] == '0' && strings.ContainsRune("35789", rune(d[1])):
		return d, nil
	case len(d) == 11 && strings.HasPrefix(d, "02"):
		return d, nil
	case (strings.HasPrefix(d, "1900") || strings.HasPrefix(d, "1800")) && len(d) >= 8 && len(d) <= 10:
		return d, nil
	}
	return "", ErrPhone
}

// FormatPhone groups the digits of a normalised number for reading:
// 0912 345 678, 0255 000 0101, 1900 9068.
func FormatPhone(d string) string {
	switch {
	case len(d) == 10 && d[0] == '0':
		return d[:4] + " " + d[4:7] + " " + d[7:]
	case len(d) == 11:
		return d[:4] + " " + d[4:7] + " " + d[7:]
	case len(d) >= 8 && d[0] == '1':
		return d[:4] + " " + d[4:]
	}
	return d
}

// TypedPhone finds a phone number typed as a message ("0912 345 678",
// "sdt em 0912345678"): the digits, spaces and separators after any words.
func TypedPhone(text string) (string, bool) {
	i := strings.IndexAny(text, "+0123456789")
	if i < 0 {
		return "", false
	}
	d, err := NormalizePhone(strings.TrimRight(strings.TrimSpace(text[i:]), ". "))
	return d, err == nil
}
