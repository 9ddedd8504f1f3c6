package io.poolrepos.sample.history;

import io.poolrepos.sample.SampleProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The history as JSON, for the dashboard: {@code GET /api/history} (every pool's totals, health and
 * names with a history) and {@code GET /api/history/name?pool=&name=} (one name). Both take
 * {@code since} (epoch milliseconds) to list only later samples. Names are given masked, as the
 * endpoint shows them, and as query parameters so that any name has a URL.
 */
@RestController
@RequestMapping("/api/history")
class HistoryController {

    private final PoolHistory history;
    private final long spanMillis;
    private final int maxNamesPerPool;

    HistoryController(PoolHistory history, SampleProperties properties) {
        this.history = history;
        this.spanMillis = history.period().toMillis() * history.capacity();
        this.maxNamesPerPool = properties.history().maxNamesPerPool();
    }

    @GetMapping
    Map<String, Object> pools(@RequestParam(defaultValue = "0") long since) {
        Map<String, Object> view = header();
        view.putAll(HistoryView.pools(history.samples(), since));
        return view;
    }

    @GetMapping("/name")
    ResponseEntity<Map<String, Object>> name(@RequestParam String pool, @RequestParam String name,
            @RequestParam(defaultValue = "0") long since) {
        List<Sample> samples = history.samples();
        Map<String, Object> one = HistoryView.name(samples, pool, name, since);
        if (one == null) {
            List<String> names = HistoryView.namesOf(samples, pool);
            String known = names.isEmpty() ? "pool '" + pool + "' has no name with a history"
                    : "names of pool '" + pool + "' with a history: " + String.join(", ", names);
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error",
                    "no history of name '" + name + "' in pool '" + pool + "'; " + known));
        }
        Map<String, Object> view = header();
        view.putAll(one);
        return ResponseEntity.ok(view);
    }

    private Map<String, Object> header() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("periodMillis", history.period().toMillis());
        view.put("spanMillis", spanMillis);
        view.put("maxNamesPerPool", maxNamesPerPool);
        return view;
    }
}
