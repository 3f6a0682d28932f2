#!/usr/bin/env python3
"""Writes N synthetic residents as CSV in the 人口基础信息 (101001) layout, with valid GB 11643 ID numbers.

    python3 Benchmarks/generate_residents.py 1000000 > /tmp/residents.csv

IDs use division codes the demo does not use (广州市白云区 440111, 黄埔区 440112, 番禺区 440113), so an import
into the demo dataset adds rows. --bad K makes every K-th row carry a wrong check character.
"""
import argparse
import datetime
import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECKS = "10X98765432"
COUNTIES = [("440111", "广州市白云区"), ("440112", "广州市黄埔区"), ("440113", "广州市番禺区")]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韩唐冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程苏魏吕丁沈任姚卢"
BASE = datetime.date(1950, 1, 1)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文辉玉兰海燕鹏晓雪婷浩宇子轩梓涵欣怡嘉俊"


def check(prefix):
    return CHECKS[sum(int(c) * w for c, w in zip(prefix, WEIGHTS)) % 11]


def resident(n):
    """The n-th resident's ID prefix (17 digits), birth date and county. (county, birth day, sequence) is unique for
    n < 3 * 24000 * 1000."""
    division, place = COUNTIES[n % 3]
    m = n // 3
    birth = BASE + datetime.timedelta(days=(m // 1000 * 7919) % 24000)
    return f"{division}{birth:%Y%m%d}{m % 1000:03d}", birth, place


def resident_id(n):
    """The n-th resident's GB 11643 ID number, as the file writes it without --bad."""
    prefix, _, _ = resident(n)
    return prefix + check(prefix)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("rows", type=int)
    p.add_argument("--bad", type=int, default=0, help="every K-th row gets a wrong check character")
    args = p.parse_args()
    out = sys.stdout
    out.write("公民身份号码,姓名,性别,民族,出生日期,出生地,户籍地址,联系电话,死亡标识\n")
    for n in range(args.rows):
        prefix, birth, place = resident(n)
        m = n // 3
        c = check(prefix)
        if args.bad and n % args.bad == args.bad - 1:
            c = "0" if c != "0" else "1"
        name = SURNAMES[n * 7 % len(SURNAMES)] + GIVEN[n * 13 % len(GIVEN)] + GIVEN[n * 17 % len(GIVEN)]
        sex = "1" if (m % 1000) % 2 == 1 else "2"
        out.write(f"{prefix}{c},{name},{sex},01,{birth:%Y-%m-%d},广东省{place},广东省{place}测试路{n % 500 + 1}号,"
                  f"139{n % 100000000:08d},0\n")


if __name__ == "__main__":
    main()
