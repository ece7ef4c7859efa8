"""Write the binary files of the sample corpus, byte for byte the same on every run.

    python examples/make_binary_samples.py            # rewrites the files under examples/
    python examples/make_binary_samples.py --out DIR  # writes them under DIR instead

It writes three files (their stories are fictional examples written for dateline; see
examples/README.md):

- ``warc/sample.warc.gz``: a warcinfo record, request + response pairs for three HTML
  articles (HTTP 200), a 404 page and a JPEG image (the last two must be skipped by readers);
- ``tables/articles.parquet``: two articles with their own column names
  (``id``, ``url``, ``headline``, ``published`` as a UTC timestamp, ``body``, ``site``);
- ``html/peninsula_monitor_kaesong_liaison_office.html.gz``: a gzipped HTML page.

Nothing depends on the clock, the host or chance: record ids are UUID5 of the record's
role, dates are fixed, gzip headers carry mtime 0 and no file name. The bytes still depend
on the installed warcio and pyarrow versions (pyarrow writes its version into the file).
"""

from __future__ import annotations

import argparse
import gzip
import io
import uuid
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent

WARC_NAME = "warc/sample.warc.gz"
PARQUET_NAME = "tables/articles.parquet"
HTML_GZ_NAME = "html/peninsula_monitor_kaesong_liaison_office.html.gz"
OUTPUTS = (WARC_NAME, PARQUET_NAME, HTML_GZ_NAME)

_ID_NAMESPACE = uuid.UUID("5b0b1c52-8f0e-4d4e-9a55-0d0c0a7e1a2b")


# --------------------------------------------------------------------------- pages


def render_page(story: dict) -> str:
    """A news page in the style of one fictional site: head metadata, chrome, article."""
    paragraphs = "\n".join(f"        <p>{p}</p>" for p in story["paragraphs"])
    tags_meta = "\n".join(f'  <meta property="article:tag" content="{t}">' for t in story["tags"])
    tags_links = ", ".join(f'<a href="/tag/{t.lower().replace(" ", "-")}">{t}</a>' for t in story["tags"])
    related = "\n".join(f'          <li><a href="{href}">{text}</a></li>' for href, text in story["related"])
    nav = " ".join(f'<a href="/{n.lower().replace(" ", "-")}">{n}</a>' for n in story["nav"])
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{story["title"]} | {story["site"]}</title>
  <link rel="canonical" href="{story["url"]}">
  <meta property="og:site_name" content="{story["site"]}">
  <meta property="og:title" content="{story["title"]}">
  <meta property="og:url" content="{story["url"]}">
  <meta property="og:type" content="article">
  <meta property="article:published_time" content="{story["published"]}">
  <meta property="article:section" content="{story["section"]}">
{tags_meta}
  <script>window.analytics = window.analytics || []; window.analytics.push(["page", "{story["section"]}"]);</script>
</head>
<body>
  <div class="cookie-notice">
    We use cookies to keep this site working and to measure our audience.
    <button>OK</button> <a href="/cookies">Learn more</a>
  </div>
  <header>
    <a class="logo" href="/">{story["site"]}</a>
    <nav>{nav}</nav>
  </header>
  <div class="wrap">
    <main>
      <article>
        <div class="section">{story["section"]}</div>
        <h1>{story["title"]}</h1>
        <div class="byline">{story["byline"]} | <time datetime="{story["published"]}">{story["shown_date"]}</time></div>
        <div class="share">Share: Facebook | Twitter | Telegram | Email</div>
{paragraphs}
        <div class="tags">Tags: {tags_links}</div>
      </article>
    </main>
    <aside class="sidebar">
      <h2>Read also</h2>
      <ul>
{related}
      </ul>
      <div class="ad">Advertisement</div>
    </aside>
  </div>
  <section class="comments"><h3>Comments</h3><p>Log in to comment. Comments are moderated.</p></section>
  <footer>
    <p><a href="/about">About</a> · <a href="/editorial-policy">Editorial policy</a> ·
       <a href="/privacy">Privacy</a></p>
    <p>© {story["published"][:4]} {story["site"]}. All rights reserved.</p>
  </footer>
  <script>
    document.querySelector(".cookie-notice button").onclick = function () {{ this.parentNode.remove(); }};
  </script>
</body>
</html>
"""


PRISONER_SWAP = {
    "site": "Black Sea Bulletin",
    "url": "https://www.blackseabulletin.example/politics/2019/09/07/russia-ukraine-swap-35-prisoners",
    "title": "Russia and Ukraine swap 35 prisoners each; Sentsov and Kerch sailors freed",
    "published": "2019-09-07T16:40:00+03:00",
    "shown_date": "7 September 2019, 16:40",
    "section": "Politics",
    "byline": "By Oksana Kovalenko, Kyiv",
    "nav": ["Politics", "War", "Economy", "World", "Opinion"],
    "tags": ["Ukraine", "Russia", "Prisoner exchange", "Volodymyr Zelensky"],
    "paragraphs": [
        "Two planes carrying 35 prisoners each landed almost simultaneously in Kyiv and Moscow on Saturday"
        " afternoon, completing an exchange that Ukraine’s President Volodymyr Zelensky called the first"
        " step towards ending the war in the Donbas.",
        "Among the Ukrainians who returned to Boryspil airport were the film director Oleg Sentsov, jailed in"
        " Russia on terrorism charges that he denied, and the 24 sailors captured by Russian forces near the"
        " Kerch Strait last November. Zelensky greeted them on the tarmac.",
        "“We have taken the first step. Now we must take the next ones,” Zelensky told reporters at the airport.",
        "Russia received Kirill Vyshinsky, the head of the RIA Novosti Ukraine news agency, who had been held in"
        " Kyiv on treason charges, and Volodymyr Tsemakh, a former rebel commander whom Dutch prosecutors had"
        " hoped to question about the downing of Malaysia Airlines flight MH17 in 2014. The Netherlands had"
        " asked Kyiv not to hand him over.",
        "Kremlin spokesman Dmitry Peskov said the exchange was a positive signal and that President Vladimir"
        " Putin hoped it would be followed by other steps. US President Donald Trump welcomed the swap on"
        " Twitter as possibly a giant first step to peace.",
        "Officials in Kyiv said a summit of the Normandy format, bringing together the leaders of Ukraine,"
        " Russia, France and Germany, could take place in Paris in the coming weeks, though no date has been set.",
    ],
    "related": [
        ("/war/2019/09/05/vyshinsky-released-from-custody", "Kyiv court frees RIA Novosti Ukraine editor"),
        ("/politics/2019/07/11/zelensky-putin-first-call", "Zelensky and Putin hold first phone call"),
        ("/world/2019/08/26/macron-normandy-summit", "Macron says Normandy summit possible in September"),
    ],
    "warc_date": "2019-09-07T14:05:12Z",
    "ip": "192.0.2.17",
}

HANOI_SUMMIT = {
    "site": "Capital Wire",
    "url": "https://capitalwire.example/world/asia/2019/03/01/trump-kim-hanoi-summit-no-deal",
    "title": "Trump-Kim summit in Hanoi collapses without a deal over sanctions",
    "published": "2019-03-01T03:10:00+07:00",
    "shown_date": "March 1, 2019 3:10 a.m. ICT",
    "section": "Asia",
    "byline": "Capital Wire staff",
    "nav": ["Politics", "World", "Asia", "Markets", "Video"],
    "tags": ["North Korea", "United States", "Donald Trump", "Kim Jong Un", "Vietnam"],
    "paragraphs": [
        "HANOI — The second summit between US President Donald Trump and North Korean leader Kim Jong Un ended"
        " abruptly on Thursday without an agreement, after the two sides failed to agree on how far sanctions"
        " on Pyongyang should be eased in return for steps to dismantle its nuclear programme.",
        "A working lunch at the Metropole hotel and a planned signing ceremony were cancelled, and Trump’s"
        " motorcade left hours earlier than scheduled. “Sometimes you have to walk,” Trump told a news"
        " conference, saying North Korea had wanted all sanctions lifted in exchange for closing its Yongbyon"
        " nuclear complex.",
        "Shortly after midnight, North Korean Foreign Minister Ri Yong Ho gave a rare news conference in"
        " Hanoi, disputing Trump’s account. He said Pyongyang had asked only for five UN Security Council"
        " resolutions adopted in 2016 and 2017 to be lifted in part, and had offered to dismantle all of the"
        " facilities at Yongbyon under the eyes of US experts.",
        "Secretary of State Mike Pompeo said he hoped the teams would meet again in the coming weeks, but no"
        " date was set for further talks. South Korea’s presidential office said it regretted that no deal"
        " had been reached but saw “meaningful progress”.",
        "The two leaders first met in Singapore in June 2018, where they signed a vaguely worded statement"
        " on working towards the denuclearisation of the Korean Peninsula.",
    ],
    "related": [
        ("/world/asia/2019/02/27/trump-kim-dinner-hanoi", "Trump and Kim dine together on first evening in Hanoi"),
        ("/world/asia/2019/02/26/kim-arrives-by-train", "Kim arrives in Vietnam after 60-hour train journey"),
    ],
    "warc_date": "2019-02-28T21:30:45Z",
    "ip": "192.0.2.44",
}

CZECH_EXPULSIONS = {
    "site": "Central Europe Daily",
    "url": "https://centraleuropedaily.example/news/czech-republic-expels-18-russian-diplomats-vrbetice",
    "title": "Czech Republic expels 18 Russian diplomats over 2014 ammunition depot blasts",
    "published": "2021-04-17T22:15:00+02:00",
    "shown_date": "17.04.2021 22:15",
    "section": "News",
    "byline": "By Petra Novakova",
    "nav": ["News", "Politics", "Business", "Culture", "Podcasts"],
    "tags": ["Czech Republic", "Russia", "Diplomacy", "GRU", "Vrbetice"],
    "paragraphs": [
        "PRAGUE — The Czech Republic is expelling 18 Russian diplomats whom it has identified as officers of"
        " the SVR and GRU intelligence services, Prime Minister Andrej Babiš said on Saturday, accusing Russian"
        " military intelligence of involvement in explosions at an ammunition depot in 2014.",
        "Two people were killed in the blasts at a depot near the village of Vrbětice, in the east of the"
        " country, in October 2014. “There is well-founded suspicion of the involvement of officers of the"
        " Russian military intelligence service GRU,” Babiš told a news conference in Prague.",
        "Deputy Prime Minister Jan Hamáček, who is also serving as foreign minister, said the diplomats had 48"
        " hours to leave the country. The Czech police said they were looking for two men carrying Russian"
        " passports in the names of Alexander Petrov and Ruslan Boshirov, the same names used by the suspects"
        " in the 2018 nerve agent attack in Salisbury, England.",
        "There was no immediate response from the Kremlin. A senior Russian lawmaker, quoted by Russian news"
        " agencies, called the accusations absurd and said Moscow would respond in kind.",
        "Hamáček had been due to travel to Moscow on Monday to discuss the supply of the Sputnik V vaccine."
        " The trip has been cancelled, his office said.",
    ],
    "related": [
        ("/news/hamacek-moscow-trip-vaccine", "Hamáček to fly to Moscow for vaccine talks"),
        ("/news/us-sanctions-russia-diplomats-expelled", "US expels ten Russian diplomats and imposes new sanctions"),
    ],
    "warc_date": "2021-04-17T20:31:09Z",
    "ip": "192.0.2.90",
}

WARC_STORIES = (PRISONER_SWAP, HANOI_SUMMIT, CZECH_EXPULSIONS)

KAESONG = {
    "site": "Peninsula Monitor",
    "url": "https://peninsulamonitor.example/north-korea/2020/06/16/kaesong-liaison-office-demolished",
    "title": "North Korea blows up inter-Korean liaison office in Kaesong",
    "published": "2020-06-16T17:20:00+09:00",
    "shown_date": "June 16, 2020 — 5:20 p.m. KST",
    "section": "North Korea",
    "byline": "By Choi Min-seo and Daniel Brooks",
    "nav": ["North Korea", "South Korea", "Diplomacy", "Military", "Analysis"],
    "tags": ["North Korea", "South Korea", "Kaesong", "Kim Yo Jong", "inter-Korean relations"],
    "paragraphs": [
        "North Korea blew up the inter-Korean joint liaison office in the border town of Kaesong on Tuesday"
        " afternoon, South Korea’s Unification Ministry said, three days after Kim Yo Jong, the sister of"
        " leader Kim Jong Un, warned that the building would soon be seen collapsing.",
        "The ministry said the explosion took place at 2:49 p.m. Video released by Seoul’s military showed"
        " smoke rising over the four-storey building and a neighbouring high-rise that was badly damaged.",
        "Pyongyang’s state media said the office had been “completely ruined” and described the demolition as"
        " a response to leaflets that defector groups in the South send across the border by balloon. On"
        " Tuesday morning, the North’s military General Staff said it was studying plans to send troops back"
        " into zones that had been demilitarised under the 2018 agreements, including Kaesong and the Mount"
        " Kumgang resort.",
        "Chung Eui-yong, President Moon Jae-in’s national security adviser, said the South would respond"
        " strongly if Pyongyang took further steps to worsen the situation. Unification Minister Kim Yeon-chul"
        " called an emergency meeting of senior ministry officials.",
        "The office opened in September 2018 after Moon and Kim met in Panmunjom, and was meant to give the two"
        " Koreas a round-the-clock channel of communication. It had been empty since January, when both sides"
        " withdrew their staff because of the coronavirus pandemic.",
        "The United States said it supported Seoul’s efforts on inter-Korean cooperation and urged North Korea"
        " to refrain from further counterproductive actions, according to a State Department spokesperson.",
    ],
    "related": [
        ("/north-korea/2020/06/13/kim-yo-jong-warning", "Kim Yo Jong warns Seoul of ‘next action’ over leaflets"),
        ("/north-korea/2020/06/09/hotlines-cut", "North Korea cuts hotlines with South Korea"),
        ("/diplomacy/2020/06/15/moon-appeal-kaesong", "Moon urges North not to shut door on dialogue"),
    ],
}

# ---------------------------------------------------------------------- parquet rows

PARQUET_ROWS = [
    {
        "id": "cw-2020-10-10-karabakh",
        "url": "https://www.caucasuswatch.example/2020/10/10/moscow-truce-takes-effect-both-sides-report-shelling",
        "headline": "Moscow-brokered truce takes effect in Karabakh, but both sides report shelling",
        "published": datetime(2020, 10, 10, 14, 20, tzinfo=UTC),
        "site": "caucasuswatch.example",
        "body": (
            "A humanitarian ceasefire between Azerbaijani and Armenian forces in Nagorno-Karabakh formally took"
            " effect at midday local time on Saturday, hours after the foreign ministers of the two countries"
            " agreed to it at talks hosted by Russia in Moscow.\n\n"
            "The deal was announced by Russian Foreign Minister Sergei Lavrov in the early hours of Saturday"
            " after about ten hours of negotiations with Azerbaijan’s Jeyhun Bayramov and Armenia’s Zohrab"
            " Mnatsakanyan. The truce is meant to allow the sides to swap prisoners and recover their dead, with"
            " the International Committee of the Red Cross acting as intermediary.\n\n"
            "Within hours, Baku and Yerevan accused each other of breaking it. Armenia’s Defence Ministry said"
            " Azerbaijani forces had shelled areas in the south of the region shortly after noon. Azerbaijan’s"
            " Defence Ministry said Armenian forces had fired on the Terter and Aghdam districts, and that it"
            " was respecting the ceasefire.\n\n"
            "The Kremlin said President Vladimir Putin had personally pushed for the talks, which followed phone"
            " calls with Azerbaijani President Ilham Aliyev and Armenian Prime Minister Nikol Pashinyan. The"
            " ICRC said it was ready to help but that the sides first had to agree on the practical details.\n\n"
            "Fighting over the mountainous region, which is internationally recognised as part of Azerbaijan but"
            " populated and controlled by ethnic Armenians, resumed on September 27."
        ),
    },
    {
        "id": "nr-2023-05-29-abductees",
        "url": "https://northeastasiareport.example/japan/2023/05/29/kishida-summit-kim-abductions",
        "headline": "Kishida seeks summit with Kim over abductees; Pyongyang says ‘no reason’ not to meet",
        "published": datetime(2023, 5, 30, 5, 5, tzinfo=UTC),
        "site": "northeastasiareport.example",
        "body": (
            "Japanese Prime Minister Fumio Kishida said on Saturday that he wanted to hold high-level talks"
            " under his direct control with North Korea in order to arrange a summit with Kim Jong Un at an"
            " early date, as he pledged to bring home Japanese citizens abducted by the North in the 1970s and"
            " 1980s.\n\n"
            "Kishida spoke at a rally in Tokyo organised by families of the abductees. Among those present was"
            " Sakie Yokota, 87, whose daughter Megumi was taken from the coastal city of Niigata in 1977 at the"
            " age of 13.\n\n"
            "On Monday, North Korea’s Vice Foreign Minister Pak Sang Gil said in a statement carried by the"
            " state news agency KCNA that there was no reason for the two countries not to meet if Japan"
            " dropped past positions, but that Pyongyang would not discuss the abduction issue, which it says"
            " has already been resolved.\n\n"
            "Tokyo says 17 Japanese nationals were abducted. Pyongyang has admitted to 13 and returned five of"
            " them in 2002, after a summit between then Prime Minister Junichiro Koizumi and Kim Jong Il. It says"
            " the other eight have died, a claim Japan rejects.\n\n"
            "Chief Cabinet Secretary Hirokazu Matsuno told reporters on Tuesday that Japan was aware of the"
            " statement and would continue to seek a resolution through various channels."
        ),
    },
]


# ----------------------------------------------------------------------------- writers


def _record_id(role: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(_ID_NAMESPACE, role)}>"


def _http_date(warc_date: str) -> str:
    moment = datetime.strptime(warc_date, "%Y-%m-%dT%H:%M:%SZ")
    return moment.strftime("%a, %d %b %Y %H:%M:%S GMT")


def _fake_jpeg() -> bytes:
    """A few hundred bytes that start and end like a JPEG; readers must skip it by type."""
    body = bytes((i * 37) % 251 for i in range(320))
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + body + b"\xff\xd9"


def write_warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="WARC/1.0")

    info = (
        b"software: dateline examples/make_binary_samples.py\r\n"
        b"format: WARC File Format 1.0\r\n"
        b"conformsTo: http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf\r\n"
        b"description: Fictional sample crawl written for dateline's example corpus\r\n"
        b"robots: obey\r\n"
    )
    writer.write_record(
        writer.create_warc_record(
            "",
            "warcinfo",
            payload=io.BytesIO(info),
            length=len(info),
            warc_content_type="application/warc-fields",
            warc_headers_dict={
                "WARC-Record-ID": _record_id("warcinfo"),
                "WARC-Date": "2021-04-18T00:00:00Z",
                "WARC-Filename": "sample.warc.gz",
            },
        )
    )

    pages = [
        (s["url"], s["warc_date"], s["ip"], "200 OK", "text/html; charset=utf-8", render_page(s).encode("utf-8"))
        for s in WARC_STORIES
    ]
    not_found = (
        b"<!DOCTYPE html><html><head><title>Page not found | Capital Wire</title></head>"
        b"<body><h1>404</h1><p>Sorry, we could not find the page you were looking for.</p></body></html>\n"
    )
    pages.insert(
        2,
        (
            "https://capitalwire.example/world/asia/2019/03/01/hanoi-summit-live-updates",
            "2019-02-28T21:31:02Z",
            "192.0.2.44",
            "404 Not Found",
            "text/html; charset=utf-8",
            not_found,
        ),
    )
    pages.append(
        (
            "https://www.blackseabulletin.example/media/2019/09/07/boryspil-tarmac.jpg",
            "2019-09-07T14:05:13Z",
            "192.0.2.17",
            "200 OK",
            "image/jpeg",
            _fake_jpeg(),
        )
    )

    for number, (url, warc_date, ip, status, content_type, body) in enumerate(pages, 1):
        host = url.split("/")[2]
        target = "/" + url.split("/", 3)[3]
        request_headers = StatusAndHeaders(
            f"GET {target} HTTP/1.1",
            [
                ("Host", host),
                ("User-Agent", "dateline-examples/1.0 (+https://github.com/dateline)"),
                ("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"),
                ("Accept-Encoding", "identity"),
            ],
            is_http_request=True,
        )
        response_headers = StatusAndHeaders(
            status,
            [
                ("Date", _http_date(warc_date)),
                ("Server", "nginx"),
                ("Content-Type", content_type),
                ("Content-Length", str(len(body))),
                ("Connection", "close"),
            ],
            protocol="HTTP/1.1",
        )
        response = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=response_headers,
            warc_headers_dict={
                "WARC-Record-ID": _record_id(f"response-{number}"),
                "WARC-Date": warc_date,
                "WARC-IP-Address": ip,
            },
        )
        request = writer.create_warc_record(
            url,
            "request",
            http_headers=request_headers,
            warc_headers_dict={"WARC-Record-ID": _record_id(f"request-{number}"), "WARC-Date": warc_date},
        )
        writer.write_request_response_pair(request, response)

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def write_parquet(path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("id", pa.string()),
            ("url", pa.string()),
            ("headline", pa.string()),
            ("published", pa.timestamp("us", tz="UTC")),
            ("site", pa.string()),
            ("body", pa.string()),
        ]
    )
    table = pa.Table.from_pylist(PARQUET_ROWS, schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="snappy")


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no file name and mtime 0, so equal input gives equal output."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as fh:
        fh.write(data)
    return buffer.getvalue()


def write_html_gz(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip_bytes(render_page(KAESONG).encode("utf-8")))


def write_all(out: Path) -> list[Path]:
    """Write every binary sample under ``out``; returns their paths."""
    write_warc(out / WARC_NAME)
    write_parquet(out / PARQUET_NAME)
    write_html_gz(out / HTML_GZ_NAME)
    return [out / name for name in OUTPUTS]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: examples/)")
    args = parser.parse_args(argv)
    for path in write_all(args.out):
        print(path)


if __name__ == "__main__":
    main()
