package upload

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type zipFile struct {
	name string
	data string
	mode fs.FileMode
	// method overrides the compression (zip.Deflate by default).
	method uint16
}

func makeZip(t *testing.T, files ...zipFile) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate}
		if f.method != 0 {
			h.Method = f.method
		}
		if f.mode != 0 {
			h.SetMode(f.mode)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f.data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestUnpack(t *testing.T) {
	small := Limits{MaxAttachment: 64 << 10, MaxUnpacked: 32 << 10, MaxFiles: 3}
	bomb := makeZip(t, zipFile{name: "bomb.md", data: strings.Repeat("a", 1<<20)})
	tests := []struct {
		name    string
		file    string
		data    []byte
		files   []string
		skipped []string
		err     string
	}{
		{name: "one markdown file", file: "cell.md", data: []byte("# Cell\n"), files: []string{"cell.md"}},
		{name: "upper-case extension", file: "NOTES.JSONL", data: []byte("{}\n"), files: []string{"NOTES.JSONL"}},
		{name: "not a corpus file", file: "slides.pdf", data: []byte("%PDF"), err: "not a corpus file"},
		{name: "oversize file", file: "big.txt", data: bytes.Repeat([]byte("a"), 40<<10), err: "over the limit of 32 KiB"},
		{name: "oversize attachment", file: "big.zip", data: bytes.Repeat([]byte("a"), 65<<10), err: "over the limit of 64 KiB"},
		{
			name: "a zip of corpus files, others skipped, hidden ones left out",
			file: "notes.zip",
			data: makeZip(t, zipFile{name: "bio/cell.md", data: "# Cell"}, zipFile{name: "bio/"}, zipFile{name: "gene.txt", data: "Gene"},
				zipFile{name: "diagram.png", data: "png"}, zipFile{name: "__MACOSX/bio/._cell.md", data: "x"}, zipFile{name: ".DS_Store", data: "x"},
				zipFile{name: "bio/.hidden.md", data: "x"}),
			files: []string{"bio/cell.md", "gene.txt"}, skipped: []string{"diagram.png"},
		},
		{name: "path traversal", file: "evil.zip", data: makeZip(t, zipFile{name: "../../etc/cron.d/x.md", data: "x"}), err: "leads outside"},
		{name: "path traversal inside", file: "evil.zip", data: makeZip(t, zipFile{name: "a/../../x.md", data: "x"}), err: "leads outside"},
		{name: "absolute path", file: "evil.zip", data: makeZip(t, zipFile{name: "/etc/x.md", data: "x"}), err: "absolute"},
		{name: "backslashes", file: "evil.zip", data: makeZip(t, zipFile{name: `..\..\x.md`, data: "x"}), err: "backslash"},
		{name: "a link", file: "link.zip", data: makeZip(t, zipFile{name: "cell.md", data: "/etc/passwd", mode: fs.ModeSymlink | 0o777}), err: "a link"},
		{name: "a zip bomb", file: "bomb.zip", data: bomb, err: "unpacks to more than 32 KiB"},
		{name: "too many files", file: "many.zip", data: makeZip(t, zipFile{name: "a.md", data: "a"}, zipFile{name: "b.md", data: "b"}, zipFile{name: "c.md", data: "c"}, zipFile{name: "d.md", data: "d"}), err: "more than 3 corpus files"},
		{name: "the same file twice", file: "dup.zip", data: makeZip(t, zipFile{name: "a.md", data: "a"}, zipFile{name: "./a.md", data: "b"}), err: "twice"},
		{name: "nothing to add", file: "pics.zip", data: makeZip(t, zipFile{name: "a.png", data: "a"}), err: "holds no .md, .txt or .jsonl file"},
		{name: "not a zip", file: "fake.zip", data: []byte("PK not really"), err: "not a zip archive"},
		{name: "a control character", file: "x.zip", data: makeZip(t, zipFile{name: "a\x00b.md", data: "a"}), err: "control character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, skipped, err := Unpack(tt.file, tt.data, small)
			if tt.err != "" {
				var ue *Error
				if err == nil || !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want an *Error with %q", err, tt.err)
				}
				if files != nil {
					t.Errorf("files returned with the refusal: %v", files)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range files {
				names = append(names, f.Name)
			}
			if strings.Join(names, ",") != strings.Join(tt.files, ",") || strings.Join(skipped, ",") != strings.Join(tt.skipped, ",") {
				t.Errorf("files %v, skipped %v; want %v, %v", names, skipped, tt.files, tt.skipped)
			}
		})
	}
}

// A zip whose header understates a file's size is stopped at the limit
// anyway: the bytes decide, not the header.
func TestUnpackLyingHeader(t *testing.T) {
	data := makeZip(t, zipFile{name: "a.md", data: strings.Repeat("b", 100<<10)})
	// Patch the uncompressed sizes in the local header and the central
	// directory to 10 bytes.
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	real := zr.File[0].UncompressedSize64
	var le [4]byte
	le[0], le[1], le[2], le[3] = byte(real), byte(real>>8), byte(real>>16), byte(real>>24)
	patched := bytes.ReplaceAll(data, le[:], []byte{10, 0, 0, 0})
	_, _, err = Unpack("liar.zip", patched, Limits{MaxAttachment: 1 << 20, MaxUnpacked: 32 << 10, MaxFiles: 10})
	if err == nil {
		t.Fatal("a zip that unpacks to 100 KiB under a 32 KiB limit was accepted")
	}
	t.Logf("refused: %v", err)
}

func TestFetch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/attachments/1/2/cell.md":
			w.Write([]byte("# Cell\n"))
		case "/attachments/1/2/big.md":
			w.Write(bytes.Repeat([]byte("a"), 2000))
		case "/attachments/1/2/liar.md":
			w.Header().Set("Content-Length", "10")
			w.Write(bytes.Repeat([]byte("a"), 10))
		case "/redirect":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data", http.StatusFound)
		case "/redirect-home":
			http.Redirect(w, r, "/attachments/1/2/cell.md", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	f, err := NewFetcher(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if b, err := f.Fetch(ctx, srv.URL+"/attachments/1/2/cell.md", 1000); err != nil || string(b) != "# Cell\n" {
		t.Fatalf("Fetch = %q, %v", b, err)
	}
	if b, err := f.Fetch(ctx, srv.URL+"/redirect-home", 1000); err != nil || string(b) != "# Cell\n" {
		t.Fatalf("a redirect on the same host: %q, %v", b, err)
	}
	for _, tt := range []struct{ url, err string }{
		{srv.URL + "/attachments/1/2/big.md", "over the limit"},
		{srv.URL + "/redirect", "redirected away"},
		{srv.URL + "/missing", "HTTP 404"},
		{"https://example.org/attachments/1/2/cell.md", "not on Discord's servers"},
		{"http://cdn.discordapp.com/attachments/1/2/cell.md", "not on Discord's servers"},
		{"https://user:pw@cdn.discordapp.com/x.md", "not on Discord's servers"},
		{"file:///etc/passwd", "not on Discord's servers"},
		{"https://cdn.discordapp.com.evil.org/x.md", "not on Discord's servers"},
	} {
		if _, err := f.Fetch(ctx, tt.url, 1000); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("Fetch(%s) = %v, want %q", tt.url, err, tt.err)
		}
	}
	if !f.Allowed("https://cdn.discordapp.com/attachments/1/2/x.md") || !f.Allowed("https://MEDIA.discordapp.net/attachments/1/2/x.md") {
		t.Error("Discord's CDN is not allowed")
	}
	noAPI, _ := NewFetcher("")
	if noAPI.Allowed(srv.URL + "/attachments/1/2/cell.md") {
		t.Error("without DISCORD_API_URL, a loopback host is allowed")
	}
}
