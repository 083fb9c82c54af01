package gen

// Fixed word lists. Corpus words never contain 'x' or 'z' (checked when the
// vocabulary is built): the made-up words of unanswerable questions are built
// from those letters, so no typo tolerance can bridge them to the corpus.

// functionWords are the most frequent ranks of the Zipf vocabulary.
var functionWords = []string{
	"the", "of", "and", "to", "in", "a", "was", "by", "for", "with", "that",
	"on", "as", "from", "which", "were", "its", "at", "is", "this", "had",
	"their", "it", "an", "or", "be", "not", "but", "also", "after", "during",
	"between", "into", "been", "these", "under", "over", "all", "more", "other",
	"some", "most", "who", "they", "his", "than", "only", "when", "both",
	"through", "before", "against", "while", "such", "where", "then", "each",
	"many", "there", "would", "could", "among", "since", "her", "until",
	"however", "although", "because", "about", "without", "within", "several",
}

// contentWords are real English words mixed into the upper ranks, so that
// text reads a little like a reference work and stemming has work to do.
var contentWords = []string{
	"army", "armies", "province", "provinces", "government", "governments",
	"treaty", "river", "delta", "colonial", "forces", "battalion", "battalions",
	"delegation", "conference", "minister", "ministers", "party", "committee",
	"frontier", "supplies", "supplied", "weapons", "equipment", "artillery",
	"officers", "officer", "commander", "commanders", "offensive", "operation",
	"operations", "campaign", "campaigns", "negotiations", "agreement",
	"embassy", "trade", "rice", "rubber", "plantation", "plantations",
	"peasants", "villages", "village", "district", "districts", "coast",
	"mountains", "valley", "border", "region", "regions", "ports", "harbour",
	"railway", "roads", "bridge", "bridges", "garrison", "garrisons",
	"fortress", "troops", "soldiers", "volunteers", "advisers", "adviser",
	"leader", "leaders", "leadership", "movement", "movements", "revolution",
	"revolutionary", "nationalist", "nationalists", "communist", "communists",
	"republic", "kingdom", "empire", "emperor", "court", "council", "assembly",
	"congress", "election", "elections", "newspaper", "journal", "radio",
	"broadcast", "school", "schools", "students", "teachers", "university",
	"hospital", "doctors", "medicine", "medicines", "famine", "harvest",
	"budget", "loan", "loans", "debt", "currency", "bank",
	"banks", "merchants", "industry", "factories", "mines", "coal", "salt",
	"opium", "sugar", "silk", "cotton", "cattle", "horses", "ships", "navy",
	"aircraft", "pilots", "airfield", "airfields", "signed", "provided",
	"received", "attacked", "defended", "founded", "abolished", "declared",
	"negotiated", "recruited", "trained", "armed", "organised",
	"reported", "claimed", "denied", "returned", "arrived", "withdrew",
	"captured", "surrendered", "launched", "opposed", "supported", "replaced",
	"appointed", "elected", "arrested", "released", "published", "wrote",
	"studied", "travelled", "settled", "fled", "died", "born", "early", "late",
	"northern", "southern", "western", "eastern", "central", "local",
	"national", "foreign", "military", "political", "economic", "religious",
	"rural", "urban", "secret", "official", "former", "first", "second",
	"third", "last", "new", "old", "small", "large", "important", "famous",
}

// months are the month names dates use.
var months = []string{
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December",
}

// countUnits are plural nouns figures count ("308 films").
var countUnits = []string{
	"films", "cameras", "records", "rifles", "vehicles", "trucks", "soldiers",
	"men", "officers", "volunteers", "villages", "schools", "hospitals",
	"horses", "boats", "barges", "mortars", "machine guns", "motor vehicles",
	"students", "doctors", "advisers", "copies", "hectares", "kilometres",
	"tons", "piastres", "dollars", "francs", "families", "prisoners",
	"refugees", "workers", "books", "letters", "projectors", "radios",
}

// massUnits take "of" and a noun ("11,546 tons of rice").
var massUnits = []string{"tons", "kilograms", "crates", "sacks", "barrels", "cases"}

// gunUnits follow a calibre ("seventy-six 37 mm guns").
var gunUnits = []string{"guns", "mortars", "recoilless rifles", "cannons", "anti-aircraft guns"}

var calibres = []string{"20", "37", "57", "60", "75", "81", "105", "120", "155"}

var ones = []string{
	"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
	"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
	"seventeen", "eighteen", "nineteen",
}

var tens = []string{
	"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
}

// initials are the middle initials of western names (no X or Z).
const initials = "ABCDEFGHJKLMNPRSTVW"

// titlesOfOffice come before western names and end in a period, which the
// sentence splitter must not take for the end of a sentence.
var titlesOfOffice = []string{"Gen.", "Col.", "Dr.", "Capt.", "Mgr.", "Prof.", "Lt."}

// vnSyllable is a Vietnamese name syllable with its accent-folded spelling.
type vnSyllable struct{ accented, folded string }

var vnFamily = []vnSyllable{
	{"Nguyễn", "Nguyen"}, {"Trần", "Tran"}, {"Lê", "Le"}, {"Phạm", "Pham"},
	{"Hoàng", "Hoang"}, {"Huỳnh", "Huynh"}, {"Phan", "Phan"}, {"Vũ", "Vu"},
	{"Võ", "Vo"}, {"Đặng", "Dang"}, {"Bùi", "Bui"}, {"Đỗ", "Do"}, {"Hồ", "Ho"},
	{"Ngô", "Ngo"}, {"Dương", "Duong"}, {"Lý", "Ly"}, {"Trương", "Truong"},
	{"Đinh", "Dinh"}, {"Lâm", "Lam"}, {"Tạ", "Ta"}, {"Mai", "Mai"},
	{"Cao", "Cao"}, {"Lương", "Luong"}, {"Tôn", "Ton"},
}

var vnMiddle = []vnSyllable{
	{"Văn", "Van"}, {"Thị", "Thi"}, {"Hữu", "Huu"}, {"Đức", "Duc"},
	{"Công", "Cong"}, {"Quang", "Quang"}, {"Minh", "Minh"}, {"Ngọc", "Ngoc"},
	{"Đình", "Dinh"}, {"Bá", "Ba"}, {"Thanh", "Thanh"}, {"Kim", "Kim"},
	{"Quốc", "Quoc"}, {"Trọng", "Trong"},
}

var vnGiven = []vnSyllable{
	{"Soái", "Soai"}, {"Giáp", "Giap"}, {"Lửa", "Lua"}, {"Khải", "Khai"},
	{"Tường", "Tuong"}, {"Phúc", "Phuc"}, {"Thắng", "Thang"}, {"Hùng", "Hung"},
	{"Dũng", "Dung"}, {"Tâm", "Tam"}, {"Lộc", "Loc"}, {"Hải", "Hai"},
	{"Sơn", "Son"}, {"Bình", "Binh"}, {"Đồng", "Dong"}, {"Chí", "Chi"},
	{"Thọ", "Tho"}, {"Cẩn", "Can"}, {"Diệm", "Diem"}, {"Trí", "Tri"},
	{"Hiếu", "Hieu"}, {"Khánh", "Khanh"}, {"Vĩnh", "Vinh"}, {"Mẫu", "Mau"},
	{"Tùng", "Tung"}, {"Tuấn", "Tuan"}, {"Ánh", "Anh"}, {"Hạnh", "Hanh"},
	{"Quế", "Que"}, {"Lượng", "Luong"}, {"Bảo", "Bao"}, {"Thuần", "Thuan"},
	{"Nghĩa", "Nghia"}, {"Phước", "Phuoc"}, {"Lạc", "Lac"}, {"Khiêm", "Khiem"},
	{"Điền", "Dien"}, {"Nhạc", "Nhac"}, {"Toản", "Toan"}, {"Việt", "Viet"},
	{"Cường", "Cuong"}, {"Đạt", "Dat"}, {"Huệ", "Hue"}, {"Lan", "Lan"},
}

// vnNick are the birth-order names of nicknames ("Năm Lửa").
var vnNick = []vnSyllable{
	{"Hai", "Hai"}, {"Ba", "Ba"}, {"Tư", "Tu"}, {"Năm", "Nam"}, {"Sáu", "Sau"},
	{"Bảy", "Bay"}, {"Tám", "Tam"}, {"Chín", "Chin"}, {"Mười", "Muoi"},
}

// Pseudo-word parts. No 'x' or 'z' here.
var (
	onsets = []string{
		"b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t",
		"v", "w", "br", "cr", "dr", "gr", "pr", "tr", "st", "th", "ch", "sh",
		"pl", "kl", "fr", "sl", "gl", "sk",
	}
	nuclei = []string{"a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ou", "ea"}
	codas  = []string{"n", "r", "l", "s", "t", "m", "nd", "rn", "th", "ck", "sh"}
)

// Parts of the made-up words of unanswerable questions: each syllable holds
// an 'x' or a 'z'.
var (
	oovOnsets = []string{"z", "x", "zy", "zh", "xo"}
	oovCodas  = []string{"x", "z", "zz", "xt"}
)

// unanswerableFrames are questions the corpus cannot answer; %s are made-up
// words. Their other words never occur in the corpus.
var unanswerableFrames = []string{
	"What is the anthem of %s?",
	"Which planet did the %s probe photograph?",
	"What recipe uses %s and %s?",
	"How tall is the %s tower?",
	"Who invented the %s engine?",
	"What colour is the flag of %s?",
	"Which team won the %s cup final?",
	"What is the boiling point of %s?",
	"How fast can a %s swim?",
	"What language do people speak in %s?",
}

// unanswerableWords are the content words of unanswerableFrames (their
// other words are function or question words); tests check that the corpus
// never uses them.
var unanswerableWords = []string{
	"anthem", "planet", "probe", "photograph", "recipe", "uses", "tall",
	"tower", "invented", "engine", "colour", "flag", "team", "won", "cup",
	"final", "boiling", "point", "fast", "swim", "language", "people", "speak",
}
