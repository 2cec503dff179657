"""Prepares the four public lead data sets for examples/score_auc.rs: one CSV each, with a
"won" column and only what was known before the outcome. The raw files are read from DIR
(never from the repository: they hold real people's records) and the prepared ones written
beside them.

    python3 examples/lead_datasets.py /work/data

DIR must hold:
  Leads.csv                  X Education (outcome "Converted"; used as is by score_auc)
  bank-full.csv              UCI Bank Marketing (outcome y; `duration` is the call's length,
                             known only after the call, and is left out)
  olist_mql.csv              Olist marketing qualified leads
  olist_closed_deals.csv     Olist closed deals (won = the MQL became a closed deal; the
                             deal's own columns are known only after the win and left out)
  sales_pipeline.csv         Maven Analytics CRM Sales Opportunities (deal_stage Won/Lost;
  crm_accounts.csv           close_date and close_value are known only at the close and left
  crm_products.csv           out; Engaging and Prospecting deals are still open and skipped),
  crm_sales_teams.csv        with its accounts, products and sales teams joined in
"""
import csv
import sys
from pathlib import Path


def read(path, delimiter=","):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    print(f"{path}: {len(rows)} rows, {sum(r[-1] == '1' for r in rows)} won")


def bank(dir):
    path = dir / "bank-full.csv"
    text = path.read_text(encoding="utf-8")
    rows = read(path, ";" if text.split("\n", 1)[0].count(";") > 2 else ",")
    # Some copies carry columns the UCI file does not (year, picked_up_call, extra_info).
    keep = ["age", "job", "marital", "education", "default", "balance", "housing", "loan",
            "contact", "day", "month", "campaign", "pdays", "previous", "poutcome"]
    out = [[r[k] for k in keep] + ["1" if r["y"].strip() == "yes" else "0"] for r in rows]
    write(dir / "bank.csv", keep + ["won"], out)


def olist(dir):
    won = {r["mql_id"] for r in read(dir / "olist_closed_deals.csv")}
    rows = read(dir / "olist_mql.csv")
    keep = ["first_contact_date", "landing_page_id", "origin"]
    out = [[r[k] for k in keep] + ["1" if r["mql_id"] in won else "0"] for r in rows]
    write(dir / "olist.csv", keep + ["won"], out)


def crm(dir):
    accounts = {r["account"]: r for r in read(dir / "crm_accounts.csv")}
    # The products table spells one product "GTX Pro", the pipeline "GTXPro".
    products = {r["product"].replace(" ", ""): r for r in read(dir / "crm_products.csv")}
    teams = {r["sales_agent"]: r for r in read(dir / "crm_sales_teams.csv")}
    header = ["sales_agent", "manager", "regional_office", "product", "series", "sales_price",
              "account", "sector", "year_established", "revenue", "employees",
              "office_location", "engage_date", "won"]
    out = []
    for r in read(dir / "sales_pipeline.csv"):
        if r["deal_stage"] not in ("Won", "Lost"):
            continue
        a = accounts.get(r["account"], {})
        # The products table spells one product "GTXPro", the pipeline "GTX Pro".
        p = products.get(r["product"]) or products.get(r["product"].replace(" ", ""), {})
        t = teams.get(r["sales_agent"], {})
        out.append([r["sales_agent"], t.get("manager", ""), t.get("regional_office", ""),
                    r["product"], p.get("series", ""), p.get("sales_price", ""),
                    r["account"], a.get("sector", ""), a.get("year_established", ""),
                    a.get("revenue", ""), a.get("employees", ""), a.get("office_location", ""),
                    r["engage_date"], "1" if r["deal_stage"] == "Won" else "0"])
    write(dir / "crm.csv", header, out)


if __name__ == "__main__":
    dir = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    bank(dir)
    olist(dir)
    crm(dir)
