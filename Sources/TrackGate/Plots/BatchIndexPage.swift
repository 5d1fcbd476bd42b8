import Foundation

/// `OUT/index.html`: one self-contained page for a batch (no network, no
/// external files but the tracks' own pictures beside it): the summary, the
/// settings, and a table of every track that sorts by any column, filters by
/// verdict or id, and opens a track's picture on demand.
///
/// The rows are plain HTML, so the page reads without JavaScript too; the
/// script only sorts, filters and shows pictures, and stays fast with thousands
/// of rows (one pass over the rows per click, no framework).
public enum BatchIndexPage {
    public static func render(_ results: [BatchResult], summary: BatchSummary, seconds: Double, jobs: Int,
                              settings: [(String, String)], generated: Date = Date()) -> String {
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
        html += "<p>" + MarkupText.escape(summary.renderText(seconds: seconds, jobs: jobs, interrupted: false)
            .split(separator: "\n").first.map(String.init) ?? "") + "</p>\n"
        let failures = summary.mostCommonFailures()
        if !failures.isEmpty {
            html += "<p>Most common failing checks: " + failures.map { "<code>\(MarkupText.escape($0.id))</code> \($0.tracks)" }
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
        </section>
        <table id="tracks"><thead><tr>
        <th data-key="id" data-type="text">id</th><th data-key="verdict" data-type="rank">verdict</th>
        <th data-key="duration" data-type="number">duration s</th><th data-key="requested" data-type="number">requested s</th>
        <th data-key="lufs" data-type="number">integrated LUFS</th><th data-key="peak" data-type="number">true peak dBTP</th>
        <th data-key="plan" data-type="number">section plan</th>
        <th data-key="checks" data-type="text">failing or warning checks</th></tr></thead><tbody>

        """
        for r in results { html += row(r) }
        html += """
        </tbody></table>
        <div id="viewer" hidden><div class="frame"><button id="close" title="close (Esc)">×</button><img id="picture" alt=""></div></div>
        <script>\(script)</script>
        </body></html>

        """
        return html
    }

    private static func row(_ r: BatchResult) -> String {
        let rank = ["pass": 0, "warn": 1, "fail": 2, "error": 3][r.verdict.rawValue] ?? 0
        func cell(_ value: Double?, _ format: String) -> (String, String) {
            guard let value else { return ("", "") }
            // "-0.0" for a peak of -0.04 dBTP reads as a sign error: show 0.0.
            let shown = String(format: format, value)
            return (String(format: "%.3f", value), shown.hasPrefix("-") && Double(shown) == 0 ? String(shown.dropFirst()) : shown)
        }
        let duration = cell(r.durationS, "%.2f"), requested = cell(r.requestedDurationS, "%.0f")
        let lufs = cell(r.integratedLUFS, "%.1f"), peak = cell(r.truePeakDBTP, "%.1f")
        let checks = r.verdict == .error ? (r.error ?? "") : r.problems.map { "\($0.status.rawValue) \($0.id): \($0.message)" }.joined(separator: "\n")
        let brief = r.verdict == .error ? "error" : r.problems.map(\.id).joined(separator: ", ")
        // The plan test: sorts by its p-value; tracks without a plan sort last.
        let plan: (String, String) = switch r.planStatus {
        case "confirmed"?: (String(format: "%.4f", r.planPValue ?? 0), "confirmed, " + Gate.pText(r.planPValue))
        case "not_confirmed"?: (String(format: "%.4f", r.planPValue ?? 1), "not confirmed, " + Gate.pText(r.planPValue))
        case "not_applicable"?: ("2", "not tested")
        default: ("3", "")
        }
        // The picture sits beside the page: link it by file name.
        let picture = r.plot.map { ($0 as NSString).lastPathComponent }
        let name = picture.map { "<a href=\"\(MarkupText.escape($0))\" data-plot=\"\(MarkupText.escape($0))\">\(MarkupText.escape(r.id))</a>" } ?? MarkupText.escape(r.id)
        return "<tr data-verdict=\"\(r.verdict.rawValue)\" data-rank=\"\(rank)\" data-duration=\"\(duration.0)\" data-requested=\"\(requested.0)\" data-lufs=\"\(lufs.0)\" data-peak=\"\(peak.0)\" data-plan=\"\(plan.0)\">"
            + "<td>\(name)</td><td><span class=\"badge \(r.verdict.rawValue)\">\(r.verdict.rawValue)</span></td>"
            + "<td class=\"n\">\(duration.1)</td><td class=\"n\">\(requested.1)</td><td class=\"n\">\(lufs.1)</td><td class=\"n\">\(peak.1)</td>"
            + "<td>\(MarkupText.escape(plan.1))</td>"
            + "<td title=\"\(MarkupText.escape(checks))\">\(MarkupText.escape(brief))</td></tr>\n"
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
    var body=document.querySelector('#tracks tbody'),rows=Array.prototype.slice.call(body.rows);
    var verdict=document.getElementById('verdict'),search=document.getElementById('search'),shown=document.getElementById('shown');
    function filter(){var v=verdict.value,q=search.value.toLowerCase(),n=0;
    rows.forEach(function(r){var ok=(!v||r.dataset.verdict===v)&&(!q||r.cells[0].textContent.toLowerCase().indexOf(q)>=0);r.hidden=!ok;if(ok)n++;});
    shown.textContent=n+' of '+rows.length+' tracks';}
    verdict.onchange=filter;search.oninput=filter;
    document.querySelectorAll('#tracks th').forEach(function(th,i){th.onclick=function(){
    var asc=!th.classList.contains('asc');document.querySelectorAll('#tracks th').forEach(function(h){h.classList.remove('asc','desc');});
    th.classList.add(asc?'asc':'desc');var key=th.dataset.key,type=th.dataset.type;
    function value(r){if(type==='text')return r.cells[i].textContent.toLowerCase();var s=r.dataset[key];return s===''?null:parseFloat(s);}
    var keyed=rows.map(function(r){return [value(r),r];});
    keyed.sort(function(a,b){if(a[0]===b[0])return 0;if(a[0]===null)return 1;if(b[0]===null)return -1;return (a[0]<b[0]?-1:1)*(asc?1:-1);});
    var f=document.createDocumentFragment();keyed.forEach(function(k){f.appendChild(k[1]);});body.appendChild(f);rows=keyed.map(function(k){return k[1];});};});
    var viewer=document.getElementById('viewer'),picture=document.getElementById('picture');
    body.addEventListener('click',function(e){var a=e.target.closest('a[data-plot]');if(!a)return;e.preventDefault();
    picture.src=a.dataset.plot;picture.alt=a.textContent;viewer.hidden=false;});
    function close(){viewer.hidden=true;picture.removeAttribute('src');}
    document.getElementById('close').onclick=close;viewer.onclick=function(e){if(e.target===viewer)close();};
    document.addEventListener('keydown',function(e){if(e.key==='Escape')close();});
    // Links can carry a view: ?verdict=fail&sort=lufs (or -lufs, descending), and #ID opens that track's picture.
    var t0=performance.now(),params=new URLSearchParams(location.search),v=params.get('verdict'),s=params.get('sort');
    if(v){verdict.value=v;}
    if(s){var th=document.querySelector('#tracks th[data-key="'+s.replace(/^-/,'')+'"]');if(th){if(s[0]==='-')th.classList.add('asc');th.onclick();}}
    filter();
    if(location.hash.length>1){var id=decodeURIComponent(location.hash.slice(1));
    rows.some(function(r){var a=r.querySelector('a[data-plot]');if(a&&a.textContent===id){a.click();return true;}return false;});}
    document.body.dataset.readyMs=Math.round(performance.now()-t0);
    })();
    """
}
