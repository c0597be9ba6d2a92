// Command faqctl is the staff tool: it validates content, shows what the bot
// would answer and why, measures answer quality, runs the calculator, and
// reports unanswered questions and leads. One file per subcommand.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// command is one subcommand: it gets its own arguments and returns the exit code.
type command struct {
	name  string
	usage string
	run   func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands(stdin io.Reader) []command {
	return []command{
		{"lint", "lint [-content DIR] [-date YYYY-MM-DD] [-strict]   kiểm tra nội dung (FAQ, mức đóng, đại lý)", cmdLint},
		{"ask", "ask [-k N] [--explain] [--json] [--date YYYY-MM-DD] \"câu hỏi\"|-  xem bot sẽ trả lời gì và vì sao (- : mỗi dòng một câu)", func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
			return cmdAsk(ctx, args, stdin, stdout, stderr)
		}},
		{"eval", "eval [--json] [--baseline] FILE            đo chất lượng tìm kiếm trên bộ câu hỏi", cmdEval},
		{"calc", "calc vsi|hi|retire|pension|lumpsum ...    máy tính mức đóng và quyền lợi", cmdCalc},
		{"report", "report [-days N]                          câu hỏi chưa trả lời được và bị 👎", cmdReport},
		{"leads", "leads export|stats ...                     danh sách và phễu khách hàng cần gọi lại", cmdLeads},
		{"reminders", "reminders stats|due ...                   nhắc hạn đóng tiền, thẻ BHYT: số liệu, tin sẽ gửi lúc nào", cmdReminders},
		{"migrate-store", "migrate-store -from FILE -to URL          chép cơ sở dữ liệu SQLite của bot sang PostgreSQL (đích còn trống)", cmdMigrateStore},
		{"studio", "studio -content DIR [-db FILE] [-addr 127.0.0.1:8090]   trang web cho nhân viên: thử câu hỏi, gán nhãn, xem nội dung", cmdStudio},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runIO(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is runIO with nothing on standard input.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runIO(ctx, args, strings.NewReader(""), stdout, stderr)
}

// runIO runs one subcommand and returns its exit code.
func runIO(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" { // asked for: not an error
		usage(stdout)
		return 0
	}
	for _, c := range commands(stdin) {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "faqctl: không có lệnh %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Cách dùng: faqctl LỆNH [tuỳ chọn]")
	fmt.Fprintln(w)
	for _, c := range commands(nil) {
		fmt.Fprintln(w, "  faqctl "+c.usage)
	}
}
