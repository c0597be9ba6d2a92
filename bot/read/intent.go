package read

import "strings"

// fillers are words people add around a short command or thanks ("hủy
// nhé", "ok ạ", "cảm ơn bot nhiều"); they do not change its meaning.
var fillers = map[string]bool{
	"a": true, "ad": true, "admin": true, "nhe": true, "nha": true, "nhieu": true, "ban": true, "bot": true,
	"em": true, "anh": true, "chi": true, "minh": true, "ah": true, "oi": true, "shop": true, "rat": true,
	"nhiu": true, "di": true, "luon": true, "giup": true, "gium": true, "voi": true, "toi": true, "roi": true,
	"the": true, "thi": true, "u": true, "ha": true, "nhi": true, "vay": true, "nhen": true,
}

// whole-message phrases (folded, fillers removed).
var (
	cancelWords = set("huy", "huy bo", "thoi", "thoi khong", "thoi khong tinh nua", "khong tinh nua", "dung", "dung lai",
		"thoat", "cancel", "stop", "bo", "bo qua", "khong lam nua", "ket thuc", "huy tinh", "thoi khoi", "khoi")
	menuWords = set("menu", "ve menu", "mo menu", "xem menu", "trang chu", "menu chinh", "quay ve menu", "tro ve menu", "ve trang chu")
	backWords = set("quay lai", "tro lai", "back", "lui lai", "quay lai buoc truoc", "buoc truoc", "sua lai", "lam lai", "nhap lai", "go lai")
	dkWords   = set("khong biet", "ko biet", "k biet", "ko bt", "k bt", "kbt", "hong biet", "khong ro", "ko ro", "k ro",
		"chua biet", "chua ro", "chiu", "khong chac", "ko chac", "biet dau", "khong nho", "ko nho", "khong biet nua", "khong biet nhom nao",
		"khong biet thuoc nhom nao", "khong biet minh thuoc nhom nao", "khong biet chon gi", "kb")
	helloWords  = set("chao", "xin chao", "hi", "hello", "helo", "alo", "hey", "chao buoi sang", "start", "alo alo", "chao buoi toi", "chao buoi chieu")
	thanksWords = set("cam on", "thanks", "thank you", "thank", "tks", "thanks you", "cmon", "camon", "cam on nhe", "thank u", "ty", "cam ah", "cam on ban")
	ackWords    = set("ok", "oke", "okay", "okie", "uh", "da", "vang", "u", "uk", "um", "dc", "duoc", "duoc roi", "ok roi", "hieu roi",
		"ro roi", "biet roi", "oki", "okela", "k", "oce", "yes", "hihi", "haha", "hehe", "ok ok")
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// questionWords mark a message that asks something.
var questionWords = []string{
	"khong", "ko", "k", "hok", "hong", "chua", "bao nhieu", "bn", "bnhieu", "bao nhiu", "sao", "gi", "j", "nao", "the nao", "ntn",
	"o dau", "khi nao", "bao gio", "lam sao", "cach nao", "cach", "thu tuc", "co duoc", "duoc khong", "cho hoi", "hoi", "xin hoi",
	"la gi", "nhu nao", "ra sao", "may", "muc nao", "co phai", "phai khong", "hay khong", "dau", "ai", "tai sao", "vi sao", "can gi",
}

// intents sets what the message asks for.
func (r *reader) intents(text string) {
	rd := r.rd
	var kept []string
	for _, t := range r.toks {
		if !fillers[t.f] {
			kept = append(kept, t.f)
		}
	}
	core := strings.Join(kept, " ")
	if len(r.toks) <= 7 {
		switch {
		case cancelWords[core]:
			rd.Intents |= Cancel
		case menuWords[core]:
			rd.Intents |= Menu
		case backWords[core]:
			rd.Intents |= Back
		case dkWords[core]:
			rd.Intents |= DontKnow
		case helloWords[core]:
			rd.Intents |= Hello
		case thanksWords[core] || strings.HasPrefix(core, "cam on ") && len(kept) <= 4:
			rd.Intents |= Thanks
		case ackWords[core]:
			rd.Intents |= Ack
		case core == "" && len(r.toks) > 0:
			rd.Intents |= Thanks // only fillers: "ạ", "nhé"
		}
	}
	f := rd.Folded
	if strings.Contains(text, "?") || hasPhrase(f, questionWords...) && len(r.toks) >= 2 {
		if rd.Intents&(Cancel|Menu|Back|DontKnow|Hello|Thanks|Ack) == 0 {
			rd.Intents |= Question
		}
	}
	howMuch := hasPhrase(f, "bao nhieu", "bn", "bnhieu", "bao nhiu", "nhieu", "khoang", "duoc bao", "may", "het", "tinh", "the nao", "ntn", "muc", "gia", "tien")
	pension := hasPhrase(f, "luong huu", "huu tri", "lh")
	if pension && r.near([]string{"luong huu", "huu tri", "lh"}, 4, "bao nhieu", "bn", "bnhieu", "bao nhiu", "khoang", "duoc bao", "may", "tinh", "muc", "nhieu", "uoc tinh") &&
		!hasPhrase(f, "tuoi nghi huu", "tuoi ve huu") {
		rd.Intents |= AskPension
	}
	// "đến lúc nghỉ hưu được bao nhiêu tiền một tháng": the amount of a
	// pension asked without the word "lương hưu".
	if r.near([]string{"nghi huu", "ve huu"}, 6, "bao nhieu tien", "duoc bao nhieu", "nhan duoc bao nhieu", "linh duoc bao nhieu", "lanh duoc bao nhieu", "lanh bao nhieu", "linh bao nhieu") &&
		!hasPhrase(f, "bao nhieu tuoi", "may tuoi", "tuoi nghi huu", "tuoi ve huu", "bao nhieu nam", "may nam") {
		rd.Intents |= AskPension
	}
	if hasPhrase(f, "tuoi nghi huu", "tuoi ve huu", "tuoi huu", "bao nhieu tuoi", "may tuoi", "bao gio duoc nghi huu", "khi nao duoc nghi huu",
		"bao gio nghi huu", "khi nao nghi huu", "nam nao nghi huu", "bao gio ve huu", "khi nao ve huu", "nam nao duoc nghi huu",
		"bao gio duoc ve huu", "khi nao duoc ve huu", "nghi huu nam nao", "nghi huu khi nao", "nghi huu luc nao", "ve huu khi nao",
		"nghi huu vao nam", "nghi huu vao thang", "thang nao nghi huu", "duoc nghi huu chua", "du tuoi nghi huu chua", "nghi huu bao gio") {
		rd.Intents |= AskRetireAge
	}
	if hasPhrase(f, "rut mot lan", "rut 1 lan", "rut bhxh", "lanh mot lan", "lanh 1 lan", "nhan mot lan", "nhan 1 lan", "bhxh mot lan", "bhxh 1 lan") && howMuch {
		rd.Intents |= AskLumpSum
	}
	hi := hasPhrase(f, "bhyt", "y te", "bao hiem y te", "the bhyt")
	if hi && (howMuch || hasPhrase(f, "mua", "dong")) {
		rd.Intents |= AskHI
	}
	if !hi && !pension && hasPhrase(f, "dong", "muc dong", "phai dong", "nop", "thu nhap") && howMuch &&
		!hasPhrase(f, "huong", "rut", "tro cap", "thai san", "mai tang", "tuat", "duoc nhan", "nhan duoc", "lai suat") {
		rd.Intents |= AskContribution
	}
	if hasPhrase(f, "o dau", "cho nao", "noi nao", "dia chi", "dai ly", "buu dien") && hasPhrase(f, "dong", "dang ky", "mua", "nop", "tham gia", "gia han", "lam") {
		rd.Intents |= AskWhere
	}
}

// near reports whether one of words occurs within n words of one of anchors.
func (r *reader) near(anchors []string, n int, words ...string) bool {
	for i := range r.toks {
		for _, a := range anchors {
			if !r.phrase(i, a) {
				continue
			}
			lo, hi := max(0, i-n), min(len(r.toks), i+len(strings.Fields(a))+n)
			window := make([]string, 0, hi-lo)
			for k := lo; k < hi; k++ {
				window = append(window, r.toks[k].f)
			}
			if hasPhrase(strings.Join(window, " "), words...) {
				return true
			}
		}
	}
	return false
}
