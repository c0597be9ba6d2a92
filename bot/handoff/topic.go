package handoff

import (
	"strings"
)

// Calculation topics the engine records after a result card ("vsi 5000000
// other m1", "hi 4 12", "pension female 20 5000000"), read back as a short
// Vietnamese line for the consent screen and the lead card.

var groupText = map[string]string{
	"poor": "hộ nghèo", "near-poor": "hộ cận nghèo", "ethnic-minority": "người dân tộc thiểu số",
	"island": "xã đảo, đặc khu", "other": "đối tượng khác",
}

// describeTopic turns a calculation topic into words; ok is false for
// anything else (an FAQ id, free text).
func describeTopic(topic string) (string, bool) {
	f := strings.Fields(topic)
	if len(f) == 0 {
		return "", false
	}
	switch {
	case f[0] == "vsi" && len(f) >= 2 && isDigits(f[1]):
		s := "Tính mức đóng BHXH tự nguyện, thu nhập " + dong(f[1])
		if len(f) >= 3 && groupText[f[2]] != "" {
			s += ", " + groupText[f[2]]
		}
		if len(f) >= 4 {
			if m := methodText(f[3]); m != "" {
				s += ", " + m
			}
		}
		return s, true
	case f[0] == "hi" && len(f) >= 2 && isDigits(f[1]):
		s := "Tính BHYT hộ gia đình, " + f[1] + " người"
		if len(f) >= 3 && isDigits(f[2]) {
			s += ", " + f[2] + " tháng"
		}
		return s, true
	case f[0] == "pension" && len(f) >= 4 && isDigits(f[2]) && isDigits(f[3]):
		sex := map[string]string{"male": "nam", "female": "nữ"}[f[1]]
		s := "Ước tính lương hưu"
		if sex != "" {
			s += ", " + sex
		}
		return s + ", " + f[2] + " năm đóng, thu nhập " + dong(f[3]), true
	}
	return "", false
}

func methodText(tok string) string {
	if len(tok) < 2 || !isDigits(tok[1:]) {
		return ""
	}
	switch tok[0] {
	case 'm':
		if tok == "m1" {
			return "đóng hằng tháng"
		}
		return "đóng " + tok[1:] + " tháng một lần"
	case 'y':
		return "đóng trước " + tok[1:] + " năm"
	}
	return ""
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// dong writes a whole number of đồng with dots: 5000000 → "5.000.000 đ".
func dong(digits string) string {
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		digits = "0"
	}
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String() + " đ"
}
