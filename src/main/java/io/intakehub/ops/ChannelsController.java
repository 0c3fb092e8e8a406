package io.intakehub.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.intakehub.config.HubProperties;
import io.intakehub.shared.InputsInFlight;
import io.intakehub.shared.IntakeMetrics;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What each channel of this instance is working on now: every input in work, the oldest first, with the route that
 * took it in, how long it has been in work and whether that is past {@code hub.limits.stall-after}. The operator's
 * answer to "which input holds the channel" when {@code channelStall} is DOWN or {@code HubChannelStalled} fires.
 */
@RestController
@RequestMapping("/ops/v1/channels")
public class ChannelsController {

    private final InputsInFlight inFlight;
    private final Duration stallAfter;

    public ChannelsController(InputsInFlight inFlight, HubProperties props) {
        this.inFlight = inFlight;
        this.stallAfter = props.getLimits().getStallAfter();
    }

    @GetMapping
    public Map<String, Object> channels() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stallAfterSeconds", stallAfter.toSeconds());
        List<Map<String, Object>> channels = new ArrayList<>();
        for (String channel : IntakeMetrics.CHANNELS) {
            List<Map<String, Object>> inputs = inFlight.inWork(channel).stream().map(i -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("input", i.describe());
                m.put("route", i.route());
                m.put("inWorkSeconds", i.age().toSeconds());
                m.put("stalled", i.stalled(stallAfter));
                return m;
            }).toList();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("channel", channel);
            c.put("stalled", inputs.stream().anyMatch(m -> Boolean.TRUE.equals(m.get("stalled"))));
            c.put("inWork", inputs);
            channels.add(c);
        }
        out.put("channels", channels);
        return out;
    }
}
