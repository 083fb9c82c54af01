package gen

import (
	"strings"
	"unicode/utf8"
)

// foldTable maps the accented Latin letters the generator writes (all of
// Vietnamese) to their bare letters.
var foldTable = func() map[rune]rune {
	groups := []struct {
		base    rune
		letters string
	}{
		{'a', "àáảãạăằắẳẵặâầấẩẫậ"},
		{'A', "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ"},
		{'e', "èéẻẽẹêềếểễệ"},
		{'E', "ÈÉẺẼẸÊỀẾỂỄỆ"},
		{'i', "ìíỉĩị"},
		{'I', "ÌÍỈĨỊ"},
		{'o', "òóỏõọôồốổỗộơờớởỡợ"},
		{'O', "ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ"},
		{'u', "ùúủũụưừứửữự"},
		{'U', "ÙÚỦŨỤƯỪỨỬỮỰ"},
		{'y', "ỳýỷỹỵ"},
		{'Y', "ỲÝỶỸỴ"},
		{'d', "đ"},
		{'D', "Đ"},
	}
	m := make(map[rune]rune)
	for _, g := range groups {
		for _, c := range g.letters {
			m[c] = g.base
		}
	}
	return m
}()

// fold removes the accents of the letters in foldTable.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range s {
		if f, ok := foldTable[c]; ok {
			c = f
		}
		b.WriteRune(c)
	}
	return b.String()
}

// slug makes an entry id from a title: accents folded, lower case, runs of
// anything but letters and digits turned into single hyphens.
func slug(title string) string {
	var b strings.Builder
	hyphen := false
	for _, c := range fold(title) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		default:
			hyphen = b.Len() > 0
			continue
		}
		if hyphen {
			b.WriteByte('-')
			hyphen = false
		}
		b.WriteRune(c)
	}
	return b.String()
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	c, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(c)) + s[n:]
}

// Fold removes the accents of Vietnamese letters (and of the other accented
// letters the generator writes): "Trần Văn Soái" -> "Tran Van Soai".
func Fold(s string) string { return fold(s) }
