// Filter-graph escaping and the option path: hostile text must come out of libavfilter
// exactly as it went in and must never add filters or options.
#include <catch2/catch.hpp>

extern "C" {
#include <libavutil/opt.h>
}

#include "surg/annotate/escape.hpp"
#include "surg/annotate/graph.hpp"
#include "surg/annotate/options.hpp"

using namespace surg::annotate;

namespace {

const char* const kHostile[] = {
    "a:b'c%{pts}\\n;[x]drawtext=text=pwned:fontsize=500",
    "it's 100% done: C:\\temp\\x",
    "'',,;;[[]]\\\\'",
    "  leading and trailing spaces  ",
    "%{localtime} %{eif\\:1\\:d} %%",
    "line one\nline two, with \"quotes\"",
    "Ærø: ünïcödé — 手術 — Ωμέγα",
    "",
};

std::string option_of(AVFilterContext* f, const char* key) {
  uint8_t* value = nullptr;
  REQUIRE(av_opt_get(f, key, AV_OPT_SEARCH_CHILDREN, &value) >= 0);
  std::string s = value ? reinterpret_cast<char*>(value) : "";
  av_free(value);
  return s;
}

}  // namespace

TEST_CASE("quote_option_value quotes and escapes single quotes") {
  CHECK(quote_option_value("abc") == "'abc'");
  CHECK(quote_option_value("it's") == "'it'\\''s'");
  CHECK(quote_option_value("") == "''");
}

TEST_CASE("escape_filter_args escapes the graph-level specials") {
  CHECK(escape_filter_args("a,b;c[d]e\\f'g") == "a\\,b\\;c\\[d\\]e\\\\f\\'g");
  CHECK(escape_filter_args("plain: text=1") == "plain: text=1");
}

TEST_CASE("a described filter parses back to the same option values, and only one filter") {
  for (const char* text : kHostile) {
    if (!*text) continue;  // drawtext refuses empty text; covered through av_opt_set below
    INFO("text: " << text);
    const std::string spec = filter_description(
        "drawtext", "t",
        {{"fontfile", kDefaultFont}, {"text", text}, {"expansion", "none"}, {"fontsize", "20"}});
    AVFilterGraph* graph = avfilter_graph_alloc();
    AVFilterInOut *in = nullptr, *out = nullptr;
    REQUIRE(avfilter_graph_parse2(graph, spec.c_str(), &in, &out) >= 0);
    REQUIRE(graph->nb_filters == 1);
    CHECK(std::string(graph->filters[0]->filter->name) == "drawtext");
    CHECK(option_of(graph->filters[0], "text") == text);
    CHECK(option_of(graph->filters[0], "fontsize") == "20");
    avfilter_inout_free(&in);
    avfilter_inout_free(&out);
    avfilter_graph_free(&graph);
  }
}

TEST_CASE("Graph::add sets values with av_opt_set, never parsing them") {
  for (const char* text : kHostile) {
    if (!*text) continue;
    Graph g;
    AVFilterContext* f =
        g.add("drawtext", "t", {{"fontfile", kDefaultFont}, {"text", text}, {"expansion", "none"}});
    CHECK(option_of(f, "text") == text);
    CHECK(option_of(f, "box") == "false");  // drawtext's default: nothing injected
  }
}

TEST_CASE("Graph::add names the refused option") {
  Graph g;
  CHECK_THROWS_WITH(g.add("drawtext", "t", {{"no_such_option", "1"}}),
                    Catch::Contains("drawtext option no_such_option"));
}
