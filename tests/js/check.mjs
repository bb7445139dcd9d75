// Independent iCalendar check with Mozilla's ical.js (the parser inside Thunderbird).
// Usage: node check.mjs FILE.ics...   (or the .ics on stdin). Prints one JSON object per
// input (a JSON array): method, calendar name, refresh/ttl, access, every VTIMEZONE's
// observances, and for every VEVENT its uid, sequence, status, class, transp, summary,
// location, url, UTC start/end, organizer and attendees with their parameters.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function utc(time) {
  return new Date(time.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");
}

function address(prop) {
  const value = String(prop.getFirstValue());
  return {
    email: value.replace(/^mailto:/i, ""),
    cn: prop.getParameter("cn") ?? null,
    role: prop.getParameter("role") ?? null,
    partstat: prop.getParameter("partstat") ?? null,
    rsvp: prop.getParameter("rsvp") ?? null,
  };
}

function check(text) {
  const root = new ICAL.Component(ICAL.parse(text));
  const timezones = root.getAllSubcomponents("vtimezone").map((vtz) => {
    ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
    return {
      tzid: vtz.getFirstPropertyValue("tzid"),
      observances: ["standard", "daylight"].flatMap((kind) =>
        vtz.getAllSubcomponents(kind).map((o) => ({
          kind,
          dtstart: String(o.getFirstPropertyValue("dtstart")),
          rrule: o.getFirstProperty("rrule") ? String(o.getFirstPropertyValue("rrule")) : null,
          rdates: o.getAllProperties("rdate").length,
          from: String(o.getFirstPropertyValue("tzoffsetfrom")),
          to: String(o.getFirstPropertyValue("tzoffsetto")),
        })),
      ),
    };
  });
  const events = root.getAllSubcomponents("vevent").map((ve) => {
    const event = new ICAL.Event(ve);
    const tzid = ve.getFirstProperty("dtstart").getParameter("tzid") ?? null;
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: ve.getFirstPropertyValue("status"),
      class: ve.getFirstPropertyValue("class"),
      transp: ve.getFirstPropertyValue("transp"),
      location: event.location,
      url: ve.getFirstPropertyValue("url"),
      summary: event.summary,
      description: event.description,
      tzid,
      tz_known: tzid === null || ICAL.TimezoneService.has(tzid),
      start: utc(event.startDate),
      end: utc(event.endDate),
      organizer: ve.getFirstProperty("organizer") ? address(ve.getFirstProperty("organizer")) : null,
      attendees: ve.getAllProperties("attendee").map(address),
    };
  });
  const refresh = root.getFirstProperty("refresh-interval");
  return {
    method: root.getFirstPropertyValue("method"),
    calname: root.getFirstPropertyValue("x-wr-calname"),
    refresh_interval: refresh ? String(refresh.getFirstValue()) : null,
    refresh_value_type: refresh ? refresh.type : null,
    published_ttl: root.getFirstPropertyValue("x-published-ttl"),
    access: root.getFirstPropertyValue("x-calendarserver-access"),
    timezones,
    events,
  };
}

const files = process.argv.slice(2);
const inputs = files.length ? files.map((f) => readFileSync(f, "utf8")) : [readFileSync(0, "utf8")];
const out = [];
for (const text of inputs) {
  try {
    out.push(check(text));
  } catch (err) {
    out.push({ error: String(err) });
  }
}
process.stdout.write(JSON.stringify(out));
