package calc

import (
	"strings"

	"github.com/bhxh-tn/bhxhbot/faq/vitext"
)

// groupWord maps what people type (folded, single spaces) to a group.
func groupWord(t string) (Group, bool) {
	switch t {
	case "poor", "ngheo", "ho ngheo", "thuoc ho ngheo", "hn":
		return GroupPoor, true
	case "near poor", "nearpoor", "can ngheo", "ho can ngheo", "thuoc ho can ngheo", "hcn", "can":
		return GroupNearPoor, true
	case "ethnic minority", "ethnic", "dan toc", "dan toc thieu so", "nguoi dan toc", "nguoi dan toc thieu so", "dtts", "thieu so":
		return GroupEthnic, true
	case "island", "dao", "xa dao", "dac khu", "o dao", "song o dao", "song o xa dao", "xa dao dac khu", "hai dao":
		return GroupIsland, true
	case "other", "others", "khac", "doi tuong khac", "binh thuong", "khong", "ko", "k", "none", "khong thuoc", "khong co", "khong ngheo", "nguoi binh thuong", "thuong", "con lai", "tu do", "lao dong tu do", "kinh", "khong thuoc nhom nao", "khong thuoc dien nao":
		return GroupOther, true
	}
	return "", false
}

// ParseGroup reads a support group from a slug ("near-poor") or what people
// type: "hộ nghèo", "ho ngheo", "cận nghèo", "dân tộc thiểu số", "xã đảo",
// "khác", "bình thường", "không". It returns an *InputError listing the
// choices when it cannot tell.
func ParseGroup(s string) (Group, error) {
	t := vitext.Fold(s)
	t = strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', ',', '.', '/', '(', ')':
			return ' '
		}
		return r
	}, t)
	t = strings.Join(strings.Fields(t), " ")
	if g, ok := groupWord(t); ok {
		return g, nil
	}
	switch {
	case t == "":
	case strings.Contains(t, "khong ngheo"), strings.Contains(t, "khong thuoc"):
		return GroupOther, nil
	case strings.Contains(t, "can ngheo"):
		return GroupNearPoor, nil
	case strings.Contains(t, "ngheo"):
		return GroupPoor, nil
	case strings.Contains(t, "dan toc"), strings.Contains(t, "thieu so"):
		return GroupEthnic, nil
	case strings.Contains(t, "xa dao"), strings.Contains(t, "dac khu"), strings.Contains(t, "hai dao"):
		return GroupIsland, nil
	}
	return "", &InputError{Msg: "Mình chưa rõ bạn thuộc nhóm nào. Chọn một: hộ nghèo, hộ cận nghèo, " +
		"người dân tộc thiểu số, sống ở xã đảo/đặc khu, hoặc khác."}
}

// Label is the group's Vietnamese name for people.
func (g Group) Label() string {
	switch g {
	case GroupPoor:
		return "Hộ nghèo"
	case GroupNearPoor:
		return "Hộ cận nghèo"
	case GroupEthnic:
		return "Người dân tộc thiểu số"
	case GroupIsland:
		return "Sống ở xã đảo, đặc khu"
	case GroupOther:
		return "Đối tượng khác"
	}
	return string(g)
}

// Valid reports whether g is one of Groups.
func (g Group) Valid() bool {
	for _, x := range Groups {
		if g == x {
			return true
		}
	}
	return false
}

// ParseSex reads "male"/"female" and what people type: "nam", "nữ", "nu".
func ParseSex(s string) (Sex, error) {
	switch strings.TrimSpace(vitext.Fold(s)) {
	case "male", "nam", "m", "dan ong", "trai", "con trai":
		return Male, nil
	case "female", "nu", "f", "w", "dan ba", "phu nu", "gai", "con gai":
		return Female, nil
	}
	return "", &InputError{Msg: "Giới tính phải là nam hoặc nữ."}
}

// Label is the sex in Vietnamese.
func (s Sex) Label() string {
	if s == Female {
		return "Nữ"
	}
	return "Nam"
}
