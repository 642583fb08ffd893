// contact.js - the contact form: earlier contacts from the phone as the
// operator types (POST /api/v1/contacts/lookup, the phone in the body,
// never in a URL) and the emergency partners of the problem province when
// imminent danger is ticked (GET /api/v1/orgs/emergency: each with its
// emergency line as a tel: link, for the roles shown it). The page works
// without it: the "Check earlier contacts" button and the list shown
// after saving do the same on the server.
// SPDX-License-Identifier: AGPL-3.0-or-later
(function () {
    "use strict";
    var form = document.getElementById("contact-form");
    if (!form) {
        return;
    }
    var csrf = form.querySelector("input[name=csrf]").value;
    var phone = document.getElementById("caller_phone");
    var earlier = document.getElementById("earlier");
    var danger = document.getElementById("danger");
    var province = document.getElementById("problem_province");
    var emergency = document.getElementById("emergency");
    var timer = null;
    var lastPhone = "";

    function clear(node) {
        while (node.firstChild) {
            node.removeChild(node.firstChild);
        }
    }

    function show(node, title, items, none) {
        clear(node);
        var h = document.createElement("h3");
        h.textContent = title;
        node.appendChild(h);
        if (items.length === 0) {
            var p = document.createElement("p");
            p.className = "muted";
            p.textContent = none;
            node.appendChild(p);
            return;
        }
        var ul = document.createElement("ul");
        items.forEach(function (it) {
            var li = document.createElement("li");
            if (it.href) {
                var a = document.createElement("a");
                a.href = it.href;
                a.textContent = it.link;
                li.appendChild(a);
                li.appendChild(document.createTextNode(" " + it.text));
            } else {
                li.textContent = it.text;
            }
            if (it.tel) {
                // an emergency partner's line: a link that rings it
                var t = document.createElement("a");
                t.className = "tel";
                t.href = "tel:" + it.tel;
                t.textContent = it.phone;
                li.appendChild(document.createTextNode(" "));
                li.appendChild(t);
            }
            ul.appendChild(li);
        });
        node.appendChild(ul);
    }

    function digits(s) {
        return s.replace(/[^0-9]/g, "").length;
    }

    function lookup() {
        var value = phone.value.trim();
        if (value === lastPhone || digits(value) < 6) {
            return;
        }
        lastPhone = value;
        fetch("/api/v1/contacts/lookup", {
            method: "POST",
            credentials: "same-origin",
            headers: {
                "Content-Type": "application/json",
                "X-CSRF-Token": csrf
            },
            body: JSON.stringify({ phone: value })
        }).then(function (r) {
            return r.ok ? r.json() : null;
        }).then(function (data) {
            if (!data || phone.value.trim() !== value) {
                return;
            }
            show(earlier, earlier.dataset.title,
                 data.contacts.map(function (c) {
                     return {
                         href: "/contacts/" + encodeURIComponent(c.code),
                         link: c.code,
                         text: c.received + " - " + c.category_label
                     };
                 }), earlier.dataset.none);
        }).catch(function () {});
    }

    function partners() {
        if (!danger.checked || !province.value) {
            clear(emergency);
            return;
        }
        fetch("/api/v1/orgs/emergency?province=" +
              encodeURIComponent(province.value), {
            credentials: "same-origin"
        }).then(function (r) {
            return r.ok ? r.json() : null;
        }).then(function (data) {
            if (!data) {
                return;
            }
            show(emergency, emergency.dataset.title,
                 data.orgs.map(function (o) {
                     return { text: o.name + " (" + o.kind_label + ")",
                              tel: o.tel, phone: o.phone };
                 }), emergency.dataset.none);
        }).catch(function () {});
    }

    phone.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(lookup, 400);
    });
    phone.addEventListener("blur", lookup);
    danger.addEventListener("change", partners);
    province.addEventListener("change", partners);
    if (danger.checked) {
        partners();
    }
}());
