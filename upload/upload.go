// Package upload turns a Discord attachment into corpus files, treating it
// as hostile: it is downloaded only from Discord's CDN (or the host of
// DISCORD_API_URL, a proxy or the local test peer), within a size limit
// read from the bytes themselves rather than from what the sender claims,
// and a .zip is unpacked in memory with its total size, its number of
// files and their paths checked (no zip bomb, no path traversal, no links).
// What comes out is checked by the knowledge package like any corpus on
// disk; this package knows nothing of entries.
package upload

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
)

// Limits bound one upload.
type Limits struct {
	// MaxAttachment is the largest attachment downloaded (the .zip, or
	// the single file), in bytes.
	MaxAttachment int64
	// MaxUnpacked is the most bytes all the files may hold once
	// unpacked.
	MaxUnpacked int64
	// MaxFiles is the most files a .zip may hold (directories aside).
	MaxFiles int
}

// DefaultLimits are the limits unless configured otherwise.
var DefaultLimits = Limits{MaxAttachment: 8 << 20, MaxUnpacked: 16 << 20, MaxFiles: 1000}

// maxNameLen bounds a file's path in a corpus.
const maxNameLen = 200

// File is one file of an upload.
type File struct {
	// Name is a clean relative path ("notes/cell.md").
	Name string
	Data []byte
}

// Error is a refusal of an upload, in words for the member who sent it.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func refuse(format string, args ...any) error { return &Error{Msg: fmt.Sprintf(format, args...)} }

// CorpusExt reports whether name is a corpus file (.md, .txt, .jsonl).
func CorpusExt(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".txt", ".jsonl":
		return true
	}
	return false
}

// IsZip reports whether name is a .zip archive.
func IsZip(name string) bool { return strings.EqualFold(path.Ext(name), ".zip") }

// Accepted reports whether an attachment named name can be uploaded at all.
func Accepted(name string) bool { return CorpusExt(name) || IsZip(name) }

// Unpack returns the files of an attachment named name: itself for a .md,
// .txt or .jsonl file, its corpus files for a .zip. Files of other kinds
// in a .zip are listed in skipped, as a corpus on disk ignores them;
// hidden files and macOS's __MACOSX folder are left out silently.
func Unpack(name string, data []byte, lim Limits) (files []File, skipped []string, err error) {
	if int64(len(data)) > lim.MaxAttachment {
		return nil, nil, refuse("%s is %s, over the limit of %s.", name, Size(int64(len(data))), Size(lim.MaxAttachment))
	}
	if IsZip(name) {
		return unzip(name, data, lim)
	}
	clean, err := cleanName(name)
	if err != nil {
		return nil, nil, err
	}
	clean = path.Base(clean)
	if !CorpusExt(clean) {
		return nil, nil, refuse("%s is not a corpus file: send a .md, .txt or .jsonl file, or a .zip of them.", name)
	}
	if int64(len(data)) > lim.MaxUnpacked {
		return nil, nil, refuse("%s is %s, over the limit of %s.", name, Size(int64(len(data))), Size(lim.MaxUnpacked))
	}
	return []File{{Name: clean, Data: data}}, nil, nil
}

func unzip(name string, data []byte, lim Limits) ([]File, []string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if errors.Is(err, zip.ErrInsecurePath) {
		return nil, nil, refuse("%s holds a file whose path leads outside the archive: refused.", name)
	}
	if err != nil {
		return nil, nil, refuse("%s is not a zip archive that can be read (%v).", name, err)
	}
	var files []File
	var skipped []string
	seen := map[string]bool{}
	var total int64
	count := 0
	for _, zf := range zr.File {
		if strings.HasSuffix(zf.Name, "/") && zf.Mode().IsDir() {
			continue
		}
		clean, err := cleanName(zf.Name)
		if err != nil {
			return nil, nil, err
		}
		if hidden(clean) {
			continue
		}
		if zf.Mode().IsDir() {
			continue
		}
		if !zf.Mode().IsRegular() {
			return nil, nil, refuse("%s in %s is a link or a special file, not a file: refused.", clean, name)
		}
		if !CorpusExt(clean) {
			skipped = append(skipped, clean)
			continue
		}
		count++
		if count > lim.MaxFiles {
			return nil, nil, refuse("%s holds more than %d corpus files.", name, lim.MaxFiles)
		}
		if seen[clean] {
			return nil, nil, refuse("%s holds %s twice.", name, clean)
		}
		seen[clean] = true
		if zf.Flags&0x1 != 0 {
			return nil, nil, refuse("%s in %s is encrypted: send it unencrypted.", clean, name)
		}
		left := lim.MaxUnpacked - total
		if zf.UncompressedSize64 > uint64(left) {
			return nil, nil, refuse("%s unpacks to more than %s: refused.", name, Size(lim.MaxUnpacked))
		}
		b, err := readCapped(zf, left)
		if err != nil {
			return nil, nil, refuse("%s in %s cannot be unpacked (%v).", clean, name, err)
		}
		if int64(len(b)) > left {
			// The header lied: a zip bomb, or a broken archive.
			return nil, nil, refuse("%s unpacks to more than %s: refused.", name, Size(lim.MaxUnpacked))
		}
		total += int64(len(b))
		files = append(files, File{Name: clean, Data: b})
	}
	if len(files) == 0 {
		return nil, skipped, refuse("%s holds no .md, .txt or .jsonl file.", name)
	}
	return files, skipped, nil
}

// readCapped reads at most max+1 bytes of zf: one more than allowed says
// it is too large, without reading the rest.
func readCapped(zf *zip.File, max int64) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, max+1))
	if err != nil && !errors.Is(err, zip.ErrChecksum) {
		return nil, err
	}
	if errors.Is(err, zip.ErrChecksum) && int64(len(b)) <= max {
		return nil, err
	}
	return b, nil
}

// cleanName checks a path from an archive or an attachment: relative,
// slash-separated, without "." or ".." steps, printable, not too long.
func cleanName(name string) (string, error) {
	bad := func(why string) error {
		return refuse("%q is not a file name that can be kept (%s): refused.", clip(name), why)
	}
	switch {
	case name == "":
		return "", bad("empty")
	case len(name) > maxNameLen:
		return "", bad(fmt.Sprintf("over %d bytes", maxNameLen))
	case strings.ContainsRune(name, '\\'):
		return "", bad("a backslash")
	case strings.HasPrefix(name, "/"):
		return "", bad("an absolute path")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return "", bad("a control character")
		}
	}
	for _, part := range strings.Split(strings.TrimSuffix(name, "/"), "/") {
		if part == ".." {
			return "", bad("it leads outside the archive")
		}
	}
	clean := path.Clean(name)
	if !fs.ValidPath(clean) || clean == "." {
		return "", bad("not a relative path")
	}
	return clean, nil
}

// hidden reports whether a path is in or is a hidden file or folder, or
// macOS's __MACOSX folder, which loading a corpus would skip.
func hidden(p string) bool {
	for _, part := range strings.Split(p, "/") {
		if strings.HasPrefix(part, ".") || part == "__MACOSX" {
			return true
		}
	}
	return false
}

func clip(s string) string {
	r := []rune(s)
	if len(r) <= 80 {
		return s
	}
	return string(r[:77]) + "..."
}

// Size writes a size in bytes for people: 512 B, 3.2 KiB, 8 MiB.
func Size(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<10))) + " KiB"
	default:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<20))) + " MiB"
	}
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }
