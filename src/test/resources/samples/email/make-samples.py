#!/usr/bin/env python3
"""Writes the email test samples byte for byte (charsets, encodings and defects on purpose).
Run from this folder: python3 make-samples.py. The .eml files are committed; this documents them."""
import base64, quopri

def b64word(charset, data):
    return "=?%s?B?%s?=" % (charset, base64.b64encode(data).decode())

def write(name, headers, body):
    raw = b"".join(h if isinstance(h, bytes) else h.encode("ascii") for h in headers)
    open(name, "wb").write(raw.replace(b"\n", b"\r\n") + b"\r\n" + body.replace(b"\n", b"\r\n") if not name.startswith("lf-") else raw + b"\n" + body)

# 1. A complaint form: subject as GB2312-labelled encoded words split in the middle of a character;
#    the body labelled gb2312 but holding GB18030-only characters (镕 is GBK, 𠮷 needs four bytes).
subject = "投诉：镕钢板批号 B-2026-1107 质量问题".encode("gb18030")
cut = 7  # inside the third character's two bytes
body = """客户名称：上海镕达五金有限公司
联系人：王建国
电话：021-5555 0101
订单编号：4500012345
批号：B-2026-1107
产品：镀锌钢板 𠮷型
规格：1.2mm×1250mm
不良数量：120 件
发生时间：2026年11月20日 14:30
金额：¥3,600.00
要求：换货、赔偿

11月18日到货的镀锌钢板表面有大面积锈斑，无法使用。
请尽快派人处理。

王建国
""".encode("gb18030")
write("complaint-gb2312-gb18030.eml", [
    "From: =?gb2312?B?%s?= <wang.jianguo@customer.example>\n" % base64.b64encode("王建国".encode("gb2312")).decode(),
    "To: intake@localhost\n",
    "Subject: %s\n %s\n" % (b64word("gb2312", subject[:cut]), b64word("gb2312", subject[cut:])),
    "Date: Fri, 20 Nov 2026 15:02:11 +0800\n",
    "Message-ID: <complaint-gb18030-0001@customer.example>\n",
    "MIME-Version: 1.0\n",
    "Content-Type: text/plain; charset=gb2312\n",
    "Content-Transfer-Encoding: 8bit\n"], body)

# 2. Big5 (Traditional Chinese), HTML only, the form in a table.
html = """<html><head><style>p{color:red}</style></head><body>
<p>您好，</p>
<table><tr><td>客戶名稱：</td><td>台北振興貿易</td></tr>
<tr><td>訂單編號：</td><td>PO-77881</td></tr>
<tr><td>數量：</td><td>30</td></tr></table>
<div>收到的紙箱全部受潮變形&nbsp;&amp; 無法出貨。</div>
</body></html>
""".encode("big5")
write("complaint-big5-html.eml", [
    "From: Chen Mei-ling <meiling@tw-customer.example>\n",
    "To: intake@localhost\n",
    "Subject: =?big5?B?%s?=\n" % base64.b64encode("投訴：紙箱受潮".encode("big5")).decode(),
    "Date: Sat, 21 Nov 2026 09:15:00 +0800\n",
    "Message-ID: <big5-html-0002@tw-customer.example>\n",
    "MIME-Version: 1.0\n",
    "Content-Type: text/html; charset=big5\n",
    "Content-Transfer-Encoding: base64\n"], base64.encodebytes(html))

# 3. English, quoted-printable, multipart/alternative, with a quoted earlier mail and a signature.
plain = """Customer name: Harbour Foods Ltd
Order no.: 4500019876
Batch no.: L2611-03
Quantity: 48
Request: replacement

Twelve cartons arrived crushed =E2=80=94 the pallet wrap was torn.

--=20
Anna Li, Purchasing
"""
write("complaint-qp-english.eml", [
    "From: Anna Li <anna.li@harbourfoods.example>\n",
    "To: intake@localhost\n",
    "Subject: Complaint: damaged cartons on order 4500019876\n",
    "Date: Sat, 21 Nov 2026 10:00:00 +0000\n",
    "Message-ID: <qp-english-0003@harbourfoods.example>\n",
    "MIME-Version: 1.0\n",
    'Content-Type: multipart/alternative; boundary="b1"\n'],
    ("--b1\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n" + plain +
     "\n--b1\nContent-Type: text/html; charset=utf-8\n\n<p>the same in HTML</p>\n--b1--\n").encode())

# 4. An order with an attached CSV of order lines (GBK, with a BOM-less header row in Chinese).
csv = "产品编码,品名,规格,数量,单位,单价\nP-100,镀锌钢板,1.2mm,200,张,85.50\nP-220,角钢,50x50,40,根,\"1,020.00\"\n".encode("gbk")
write("order-csv.eml", [
    "From: =?utf-8?B?%s?= <buyer@acme-trading.example>\n" % base64.b64encode("采购部 李娜".encode()).decode(),
    "To: intake@localhost\n",
    "Subject: =?utf-8?Q?=E8=AE=A2=E5=8D=95_PO-2026-0042?=\n",
    "Date: Sun, 22 Nov 2026 08:30:00 +0800\n",
    "Message-ID: <order-csv-0004@acme-trading.example>\n",
    "MIME-Version: 1.0\n",
    'Content-Type: multipart/mixed; boundary="mix"\n'],
    ("--mix\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
     "客户编号：C-10042\n订单编号：PO-2026-0042\n送货地址：上海市浦东新区张江路 88 号\n要求到货：2026-11-25\n\n请按附件明细发货。\n"
     "\n--mix\nContent-Type: text/csv; name=\"order-lines.csv\"\nContent-Disposition: attachment; filename=\"../../etc/order-lines.csv\"\n"
     "Content-Transfer-Encoding: base64\n\n").encode() + base64.encodebytes(csv) + b"--mix--\n")

# 5. Not an email at all (no header section).
open("not-an-email.eml", "wb").write(b"\x00\x01\x02 binary junk that is not a mail\r\n\r\nmore junk\r\n")

# 6. An auto-reply from an out-of-office robot: processed, never answered.
write("auto-submitted.eml", [
    "From: Office Robot <robot@customer.example>\n",
    "To: intake@localhost\n",
    "Subject: Out of office: complaint\n",
    "Auto-Submitted: auto-replied\n",
    "Date: Sun, 22 Nov 2026 09:00:00 +0800\n",
    "Message-ID: <ooo-0006@customer.example>\n",
    "Content-Type: text/plain; charset=us-ascii\n"], b"I am out of the office until Monday.\n")

# 7. A header-injection attempt: an encoded subject carrying CR LF and a Bcc line, and a header
#    named like a Camel mail header that must not steer the hub.
evil = "Complaint\r\nBcc: victim@elsewhere.example\r\nX-Evil: 1".encode()
write("header-injection.eml", [
    "From: Mallory <mallory@attacker.example>\n",
    "To: intake@localhost\n",
    "Subject: %s\n" % b64word("utf-8", evil),
    "CamelMailMoveTo: Trash\n",
    "HubMessageType: order\n",
    "Date: Sun, 22 Nov 2026 09:30:00 +0800\n",
    "Message-ID: <inject-0007@attacker.example>\n",
    "Content-Type: text/plain; charset=utf-8\n"], "客户名称：Mallory Inc\n产品有质量问题。\n".encode())

# 8. A registration by email.
write("registration.eml", [
    "From: Zhao Lei <zhao.lei@newco.example>\n",
    "To: intake@localhost\n",
    "Subject: =?utf-8?B?%s?=\n" % base64.b64encode("新客户注册申请".encode()).decode(),
    "Date: Sun, 22 Nov 2026 10:00:00 +0800\n",
    "Message-ID: <registration-0008@newco.example>\n",
    "Content-Type: text/plain; charset=utf-8\n"],
    "客户名称：杭州新程科技有限公司\n联系人：赵磊\n电话：0571-8888 1234\n地址：杭州市西湖区文三路 100 号\n地区：华东\n".encode())
