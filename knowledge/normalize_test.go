package knowledge

import (
	"reflect"
	"testing"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Trần Văn Soái", "tran van soai"},
		{"NĂM LỬA", "nam lua"},
		{"Đồng Khánh", "dong khanh"},
		{"Điện Biên Phủ", "dien bien phu"},
		{"Skłodowska", "sklodowska"},
		{"Straße", "strasse"},
		{"already plain", "already plain"},
		{"MiXeD", "mixed"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"11,546 tons", []string{"11546", "tons"}},
		{"seventy-six 37 mm guns", []string{"seventy", "six", "37", "mm", "guns"}},
		{"the DRV’s photography", []string{"the", "drv", "photography"}},
		{"a 3.5 km dike.", []string{"a", "3.5", "km", "dike"}},
		{"On 5 July 1952,", []string{"on", "5", "july", "1952"}},
		{"(khong hoan lai)", []string{"khong", "hoan", "lai"}},
		{"Trần Văn Soái", []string{"tran", "van", "soai"}},
		{"1,116 motor vehicles", []string{"1116", "motor", "vehicles"}},
		{"end. 1949", []string{"end", "1949"}},
		{"", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range tokenize(tt.in, nil) {
			got = append(got, tk.word)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTermsStemAndDropStopWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"How many films did the Soviets send?", []string{"film", "soviet", "send"}},
		{"Soviet films", []string{"soviet", "film"}},
		{"provided, providing", []string{"provid", "provid"}},
		{"Trần Văn Soái", []string{"tran", "van", "soai"}},
	}
	for _, tt := range tests {
		if got := Terms(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Terms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"AID, SOVIET", "aid-soviet"},
		{"TRẦN VĂN SOÁI (NĂM LỬA)", "tran-van-soai-nam-lua"},
		{"  Monsoon   calendar ", "monsoon-calendar"},
		{"!!!", ""},
	}
	for _, tt := range tests {
		if got := Slug(tt.in); got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
