#!/usr/bin/env python3
"""Writes households.xlsx with openpyxl (a real spreadsheet writer: shared strings, styles, date cells) for the XLSX
import test: a header of item names, three households with their birth dates as Excel dates, one with a bad ID number
(440106199001011233: its check digit should be 5), and a blank row in between. Run once; the file is committed."""
import datetime, os
from openpyxl import Workbook

wb = Workbook()
ws = wb.active
ws.title = "居民户籍"
ws.append(["公民身份号码", "姓名", "性别", "出生日期", "户籍地址"])
ws.append(["440106199001011233", "陈伟", "男", datetime.date(1990, 1, 1), "广州市天河区体育西路1号"])
ws.append(["44010619850315002X", "林芳", "女", datetime.date(1985, 3, 15), "广州市天河区天河路2号"])
ws.append([])
ws.append(["440106200002290016", "黄强", "男", datetime.date(2000, 2, 29), "广州市越秀区中山五路3号"])
for row in ws.iter_rows(min_row=2, min_col=4, max_col=4):
    for cell in row:
        cell.number_format = "yyyy/m/d"
wb.save(os.path.join(os.path.dirname(__file__), "households.xlsx"))
