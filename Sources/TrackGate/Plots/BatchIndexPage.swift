import Foundation

/// `OUT/index.html`: one self-contained page for a batch (no network, no
/// external files but the tracks' own pictures): the summary, the settings,
/// and a table of every track that sorts by any column, filters by verdict or
/// id, pages through the rows and opens a track's picture on demand.
///
/// The tracks travel as data (one JSON array per row, in a
/// `<script type="application/json">` block) and the script draws one page of
/// rows at a time (`pageSize`), so a batch of 100,000 tracks opens as fast as
/// one of 100: the browser never lays out more than a page of rows, and sorting
/// or filtering is a pass over arrays, not over the document.
public enum BatchIndexPage {
    /// Rows drawn at once.
    public static let pageSize = 200

    /// The page's file name in the output folder: `index.html` for a whole
    /// batch, `index-shard-I-of-N.html` for a shard (shards share the folder;
    /// the batch's page is written by `report` once all are done).
    public static func fileName(for shard: Shard) -> String {
        shard.count == 1 ? "index.html" : "index-shard-\(shard.index)-of-\(shard.count).html"
    }

    /// The shard whose page `name` is (`index-shard-I-of-N.html`), or nil.
    public static func shard(ofPageNamed name: String) -> Shard? {
        guard name.hasPrefix("index-shard-"), name.hasSuffix(".html") else { return nil }
        let parts = name.dropFirst("index-shard-".count).dropLast(".html".count).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1] == "of", let shard = try? Shard(parsing: "\(parts[0])/\(parts[2])"), shard.count > 1 else { return nil }
        return shard
    }

    /// - Parameters:
    ///   - headline: the summary's first line (`BatchSummary.headline`, or what
    ///     `report` says it read).
    ///   - pageFolder: where the page will be written, to link each picture
    ///     relative to it; nil when the pictures lie beside the page (`batch`).
    public static func render(_ results: [BatchResult], summary: BatchSummary, headline: String,
                              settings: [(String, String)], pageFolder: String? = nil, generated: Date = SourceDateEpoch.now()) -> String {
        let stamp = ISO8601DateFormatter().string(from: generated)
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>TrackGate batch: \(summary.done) tracks</title>
        <style>\(style)</style></head><body>
        <header><h1>TrackGate batch</h1><p class="muted">\(MarkupText.escape(TrackGateVersion.software)), \(stamp)</p></header>
        <section class="summary">

        """
        for verdict in [TrackReport.Verdict.pass, .warn, .fail, .error] {
            html += "<span class=\"badge \(verdict.rawValue)\">\(verdict.rawValue) <b>\(summary.count(verdict))</b></span>\n"
        }
        html += "<p>" + MarkupText.escape(headline) + "</p>\n"
        let failures = summary.mostCommonFailures()
        if !failures.isEmpty {
            html += "<p>Most common failing checks: " + failures.map { "<code>\(MarkupText.escape($0.id.rawValue))</code> \($0.tracks)" }
                .joined(separator: ", ") + "</p>\n"
        }
        html += "<details><summary>Settings</summary><table class=\"settings\">"
            + settings.map { "<tr><th>\(MarkupText.escape($0.0))</th><td>\(MarkupText.escape($0.1))</td></tr>" }.joined()
            + "</table></details>\n</section>\n"
        html += """
        <section class="controls">
        <label>Verdict <select id="verdict"><option value="">all</option><option>pass</option><option>warn</option><option>fail</option><option>error</option></select></label>
        <label>Id <input id="search" type="search" placeholder="filter by id"></label>
        <span id="shown" class="muted"></span>
        <span id="pager" hidden><button id="prev" title="previous page">&#9664;</button> <span id="rows" class="muted"></span> <button id="next" title="next page">&#9654;</button></span>
        </section>
        <noscript><p>The table is drawn by the page's script, which is off: each track's full report is OUT/ID.json.</p></noscript>
        <table id="tracks"><thead><tr>
        <th data-key="id">id</th><th data-key="verdict">verdict</th>
        <th data-key="duration">duration s</th><th data-key="requested">requested s</th>
        <th data-key="lufs">integrated LUFS</th><th data-key="peak">true peak dBTP</th>
        <th data-key="plan">section plan</th>
        <th data-key="checks">failing or warning checks</th></tr></thead><tbody></tbody></table>
        <div id="viewer" hidden><div class="frame"><button id="close" title="close (Esc)">×</button><img id="picture" alt=""></div></div>
        <script type="application/json" id="data">[

        """
        html.reserveCapacity(html.utf8.count + results.count * 160)
        for (i, r) in results.enumerated() {
            html += row(r, pageFolder: pageFolder)
            html += i + 1 < results.count ? ",\n" : "\n"
        }
        html += """
        ]</script>
        <script>\(script)</script>
        </body></html>

        """
        return html
    }

    /// One track as the script's row: `[id, verdict, duration, requested,
    /// LUFS, dBTP, plan sort key, plan, brief, checks, picture link]`, numbers
    /// as shown (the script sorts by the shown value).
    private static func row(_ r: BatchResult, pageFolder: String?) -> String {
        func shown(_ value: Double?, _ format: String) -> String {
            guard let value else { return "" }
            // "-0.0" for a peak of -0.04 dBTP reads as a sign error: show 0.0.
            let text = String(format: format, value)
            return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
        }
        let checks = r.verdict == .error ? (r.error ?? "") : r.problems.map { "\($0.status.rawValue) \($0.id): \($0.message)" }.joined(separator: "\n")
        let brief = r.verdict == .error ? "error" : r.problems.map(\.id.rawValue).joined(separator: ", ")
        // The plan test: sorts by its p-value; tracks without a plan sort last.
        let plan: (Double, String) = switch r.planStatus {
        case "confirmed"?: (r.planPValue ?? 0, "confirmed, " + Gate.pText(r.planPValue))
        case "not_confirmed"?: (r.planPValue ?? 1, "not confirmed, " + Gate.pText(r.planPValue))
        case "not_applicable"?: (2, "not tested")
        default: (3, "")
        }
        let link = r.plot.map { pictureLink($0, pageFolder: pageFolder) } ?? ""
        let texts = [r.id, r.verdict.rawValue, shown(r.durationS, "%.2f"), shown(r.requestedDurationS, "%.0f"),
                     shown(r.integratedLUFS, "%.1f"), shown(r.truePeakDBTP, "%.1f")].map(jsonString)
        return "[" + texts.joined(separator: ",") + "," + String(format: "%.4f", plan.0) + ","
            + [plan.1, brief, checks, link].map(jsonString).joined(separator: ",") + "]"
    }

    /// A picture's address from the page: its file name when it lies beside the
    /// page, else the relative path; percent-encoded, so a name with `#`, `?`
    /// or spaces still opens.
    public static func pictureLink(_ plot: String, pageFolder: String?) -> String {
        var path = (plot as NSString).lastPathComponent
        if let pageFolder {
            func parts(_ p: String) -> [String] {
                URL(fileURLWithPath: p).standardizedFileURL.pathComponents.filter { $0 != "/" }
            }
            let from = parts(pageFolder), to = parts(plot)
            var common = 0
            while common < min(from.count, to.count - 1) && from[common] == to[common] { common += 1 }
            path = (Array(repeating: "..", count: from.count - common) + to[common...]).joined(separator: "/")
        }
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~/")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }

    /// A JSON string that is also safe inside `<script>`: `<` is written as
    /// `\u003c`, so no text can close the block or open a comment in it.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "<": out += "\\u003c"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static let style = """
    body{font:14px/1.4 system-ui,-apple-system,"DejaVu Sans",sans-serif;margin:24px;color:#1f2328}
    h1{margin:0;font-size:22px}.muted{color:#57606a}
    .badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;margin-right:6px}
    .pass{background:#1a7f37}.warn{background:#b26b00}.fail{background:#cf222e}.error{background:#6e7781}
    .summary .badge{font-size:14px;padding:3px 12px}
    .controls{margin:16px 0;display:flex;gap:16px;align-items:center}
    table#tracks{border-collapse:collapse;width:100%}
    #tracks th{position:sticky;top:0;background:#f6f8fa;cursor:pointer;text-align:left;border-bottom:2px solid #d0d7de;padding:6px;user-select:none}
    #tracks th.asc::after{content:" ▲"}#tracks th.desc::after{content:" ▼"}
    #tracks td{border-bottom:1px solid #eaeef2;padding:4px 6px}td.n{text-align:right;font-variant-numeric:tabular-nums}
    #tracks tr:hover td{background:#f6f8fa}
    table.settings th{text-align:left;padding-right:16px;font-weight:normal;color:#57606a}
    #viewer{position:fixed;inset:0;background:rgba(0,0,0,.6);display:flex;align-items:center;justify-content:center}
    #viewer[hidden]{display:none}
    #viewer .frame{background:#fff;padding:8px;border-radius:6px;position:relative;max-width:96vw;max-height:94vh;overflow:auto}
    #viewer img{display:block;width:1200px;max-width:100%}
    #close{position:absolute;right:8px;top:8px;font-size:20px;border:0;background:none;cursor:pointer}
    """

    private static let script = """
    (function(){
    // Rows: [id, verdict, duration, requested, lufs, peak, plan key, plan, brief, checks, link].
    var t0=performance.now(),data=JSON.parse(document.getElementById('data').textContent),PAGE=\(pageSize);
    var body=document.querySelector('#tracks tbody'),verdict=document.getElementById('verdict'),search=document.getElementById('search');
    var shown=document.getElementById('shown'),pager=document.getElementById('pager'),rowsText=document.getElementById('rows');
    var prev=document.getElementById('prev'),next=document.getElementById('next');
    var order=data.map(function(r,i){return i;}),view=order,page=0;
    function num(s){return s===''?null:parseFloat(s);}
    var rank={pass:0,warn:1,fail:2,error:3};
    var keys={id:function(r){return r[0].toLowerCase();},verdict:function(r){return rank[r[1]];},
    duration:function(r){return num(r[2]);},requested:function(r){return num(r[3]);},lufs:function(r){return num(r[4]);},
    peak:function(r){return num(r[5]);},plan:function(r){return r[6];},checks:function(r){return r[8].toLowerCase();}};
    function cell(tr,text,cls){var td=document.createElement('td');if(cls)td.className=cls;td.textContent=text;tr.appendChild(td);return td;}
    function draw(){var pages=Math.max(1,Math.ceil(view.length/PAGE));if(page>pages-1)page=pages-1;if(page<0)page=0;
    var f=document.createDocumentFragment(),start=page*PAGE,end=Math.min(view.length,start+PAGE);
    for(var k=start;k<end;k++){var r=data[view[k]],tr=document.createElement('tr');tr.dataset.verdict=r[1];
    var td=cell(tr,r[10]?'':r[0]);if(r[10]){var a=document.createElement('a');a.href=r[10];a.dataset.plot=r[10];a.textContent=r[0];td.appendChild(a);}
    var b=document.createElement('span');b.className='badge '+r[1];b.textContent=r[1];cell(tr,'').appendChild(b);
    cell(tr,r[2],'n');cell(tr,r[3],'n');cell(tr,r[4],'n');cell(tr,r[5],'n');cell(tr,r[7]);cell(tr,r[8]).title=r[9];f.appendChild(tr);}
    body.replaceChildren(f);shown.textContent=view.length+' of '+data.length+' tracks';
    pager.hidden=pages<2;rowsText.textContent='rows '+(end>start?start+1:0)+'-'+end+' of '+view.length;
    prev.disabled=page===0;next.disabled=page>=pages-1;}
    function filter(){var v=verdict.value,q=search.value.toLowerCase();
    view=order.filter(function(i){var r=data[i];return (!v||r[1]===v)&&(!q||r[0].toLowerCase().indexOf(q)>=0);});page=0;draw();}
    verdict.onchange=filter;search.oninput=filter;
    prev.onclick=function(){page--;draw();};next.onclick=function(){page++;draw();};
    document.querySelectorAll('#tracks th').forEach(function(th){th.onclick=function(){
    var asc=!th.classList.contains('asc');document.querySelectorAll('#tracks th').forEach(function(h){h.classList.remove('asc','desc');});
    th.classList.add(asc?'asc':'desc');var key=keys[th.dataset.key],dir=asc?1:-1;
    var keyed=data.map(function(r,i){return [key(r),i];});
    keyed.sort(function(a,b){if(a[0]===b[0])return a[1]-b[1];if(a[0]===null)return 1;if(b[0]===null)return -1;return (a[0]<b[0]?-1:1)*dir;});
    order=keyed.map(function(k){return k[1];});filter();};});
    var viewer=document.getElementById('viewer'),picture=document.getElementById('picture');
    function open(link,id){picture.src=link;picture.alt=id;viewer.hidden=false;}
    body.addEventListener('click',function(e){var a=e.target.closest('a[data-plot]');if(!a)return;e.preventDefault();open(a.dataset.plot,a.textContent);});
    function close(){viewer.hidden=true;picture.removeAttribute('src');}
    document.getElementById('close').onclick=close;viewer.onclick=function(e){if(e.target===viewer)close();};
    document.addEventListener('keydown',function(e){if(e.key==='Escape')close();});
    // Links can carry a view: ?verdict=fail&sort=lufs (or -lufs, descending), and #ID opens that track's picture.
    var params=new URLSearchParams(location.search),v=params.get('verdict'),s=params.get('sort');
    if(v){verdict.value=v;}
    var th=s&&document.querySelector('#tracks th[data-key="'+s.replace(/^-/,'')+'"]');
    if(th){if(s[0]==='-')th.classList.add('asc');th.onclick();}else{filter();}
    if(location.hash.length>1){var id=decodeURIComponent(location.hash.slice(1));
    data.some(function(r){if(r[0]===id&&r[10]){open(r[10],r[0]);return true;}return false;});}
    document.body.dataset.readyMs=Math.round(performance.now()-t0);
    })();
    """
}
