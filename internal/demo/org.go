// Package demo seeds a demonstration organisation (the Gia Lai Department
// of Industry and Trade, its divisions and counters at the provincial
// Public Administration Service Centre) and 18 months of synthetic
// responses, so that a first run shows full charts.
package demo

import "github.com/sipas/sipas/surveys"

func t(vi, en string) surveys.Text { return surveys.Text{VI: vi, EN: en} }

// Divisions of the department (SPEC 3; the plan's section II.2).
var Divisions = []surveys.Division{
	{Code: "vp", Name: t("Văn phòng Sở", "Department Office")},
	{Code: "qlcn", Name: t("Phòng Quản lý Công nghiệp", "Industry Management Division")},
	{Code: "qltm", Name: t("Phòng Quản lý Thương mại", "Trade Management Division")},
	{Code: "qlnl", Name: t("Phòng Quản lý Năng lượng", "Energy Management Division")},
	{Code: "ktatmt", Name: t("Phòng Kỹ thuật an toàn và Môi trường", "Industrial Safety and Environment Division")},
}

var centre = t("Trung tâm Phục vụ hành chính công tỉnh Gia Lai", "Gia Lai Provincial Public Administration Service Centre")

// Counters at the provincial service centre with the procedures handled there.
var Counters = []surveys.Counter{
	{
		Code: "sct-thuongmai", Division: "qltm", Active: true, Location: centre,
		Name: t("Quầy Sở Công Thương – Lĩnh vực thương mại", "Department of Industry and Trade desk – Trade"),
		Procedures: []surveys.Procedure{
			{Code: "ruou-bl", Name: t("Cấp Giấy phép bán lẻ sản phẩm rượu", "Licence to retail alcohol products")},
			{Code: "thuocla-bl", Name: t("Cấp Giấy phép bán lẻ sản phẩm thuốc lá", "Licence to retail tobacco products")},
			{Code: "xangdau-ch", Name: t("Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu", "Certificate of eligibility for a petrol retail station")},
			{Code: "khuyenmai", Name: t("Đăng ký thực hiện khuyến mại", "Registration of a sales promotion")},
			{Code: "hoichotm", Name: t("Đăng ký tổ chức hội chợ, triển lãm thương mại", "Registration of a trade fair or exhibition")},
		},
	},
	{
		Code: "sct-congnghiep", Division: "qlcn", Active: true, Location: centre,
		Name: t("Quầy Sở Công Thương – Lĩnh vực công nghiệp", "Department of Industry and Trade desk – Industry"),
		Procedures: []surveys.Procedure{
			{Code: "ruou-sx", Name: t("Cấp Giấy phép sản xuất rượu công nghiệp", "Licence to produce alcohol industrially")},
			{Code: "ruou-tc", Name: t("Cấp Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh", "Licence to produce craft alcohol for sale")},
			{Code: "ccn", Name: t("Thủ tục về cụm công nghiệp", "Industrial cluster procedures")},
		},
	},
	{
		Code: "sct-nangluong", Division: "qlnl", Active: true, Location: centre,
		Name: t("Quầy Sở Công Thương – Lĩnh vực năng lượng", "Department of Industry and Trade desk – Energy"),
		Procedures: []surveys.Procedure{
			{Code: "gphd-dien", Name: t("Cấp Giấy phép hoạt động điện lực", "Electricity operating licence")},
			{Code: "tk-dien", Name: t("Thẩm định thiết kế xây dựng công trình đường dây và trạm biến áp", "Design appraisal for power lines and substations")},
			{Code: "kdv-dien", Name: t("Cấp thẻ kiểm tra viên điện lực", "Electricity inspector card")},
		},
	},
	{
		Code: "sct-antoan", Division: "ktatmt", Active: true, Location: centre,
		Name: t("Quầy Sở Công Thương – Kỹ thuật an toàn và môi trường", "Department of Industry and Trade desk – Safety and Environment"),
		Procedures: []surveys.Procedure{
			{Code: "attp", Name: t("Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "Food safety eligibility certificate")},
			{Code: "vlncn", Name: t("Cấp Giấy phép sử dụng vật liệu nổ công nghiệp", "Licence to use industrial explosives")},
			{Code: "hoachat", Name: t("Cấp Giấy chứng nhận đủ điều kiện sản xuất, kinh doanh hóa chất", "Certificate of eligibility to produce or trade chemicals")},
			{Code: "lpg", Name: t("Cấp Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ LPG chai", "Certificate of eligibility for a bottled LPG shop")},
		},
	},
}
