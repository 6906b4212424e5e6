//! Language: the current one (a context signal), its default (the link, then the stored choice,
//! then the browser), and the site's own UI strings in both languages.

use leptos::prelude::*;

pub use brainplay_content::Lang;

const STORAGE_KEY: &str = "brainplay.lang";

#[derive(Clone, Copy)]
struct LangContext(RwSignal<Lang>);

/// Provides the language signal, initialised from the `lang` query key, the stored choice or
/// the browser's language, in that order; changes are remembered.
pub fn provide_lang(from_link: Option<Lang>) -> RwSignal<Lang> {
    let stored = crate::storage::get(STORAGE_KEY).and_then(|code| Lang::from_code(&code));
    let browser = web_sys::window()
        .and_then(|w| w.navigator().language())
        .map(|code| {
            if code.starts_with("zh") {
                Lang::Zh
            } else {
                Lang::En
            }
        });
    let lang = RwSignal::new(from_link.or(stored).or(browser).unwrap_or(Lang::Zh));
    Effect::new(move |_| {
        let code = lang.get().code();
        // A language that cannot be remembered still applies to this visit.
        let _ = crate::storage::set(STORAGE_KEY, code);
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", code);
        }
    });
    provide_context(LangContext(lang));
    lang
}

pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<LangContext>().0
}

/// UI string `key`, following the page's language. Every such text in a view is this one
/// closure type, so the page's wasm holds one compiled copy of the view code that shows it
/// (a closure written at each place is a type of its own, and a copy of that code each).
pub fn tr(key: &'static str, lang: RwSignal<Lang>) -> impl Fn() -> &'static str + Copy + 'static {
    move || ui(key, lang.get())
}

/// A UI string in `lang`; an unknown key shows itself (and fails the test below).
pub fn ui(key: &str, lang: Lang) -> &'static str {
    match STRINGS.iter().find(|s| s.0 == key) {
        Some((_, en, zh)) => match lang {
            Lang::En => en,
            Lang::Zh => zh,
        },
        None => "?",
    }
}

/// The name of a category the analyses report by code (`brainplay_content::figure`: firing
/// patterns, fixed points' stability, special points' kinds) in `lang`; an unknown code shows
/// itself.
pub fn term(code: &str, lang: Lang) -> &str {
    match (TERMS.iter().find(|t| t.0 == code), lang) {
        (Some((_, en, _)), Lang::En) => en,
        (Some((_, _, zh)), Lang::Zh) => zh,
        (None, _) => code,
    }
}

/// (code, English, Chinese). The English of patterns and stabilities is the code itself
/// (BrainPy's labels).
const TERMS: &[(&str, &str, &str)] = &[
    ("silent", "silent", "静息"),
    ("transient", "transient", "短暂发放"),
    ("delayed", "delayed", "延迟发放"),
    ("bursting", "bursting", "簇发放"),
    ("initial burst", "initial burst", "初始簇发放"),
    ("adapting", "adapting", "适应性发放"),
    ("irregular", "irregular", "不规则发放"),
    ("tonic", "tonic", "紧张性发放"),
    ("stable node", "stable node", "稳定结点"),
    ("unstable node", "unstable node", "不稳定结点"),
    ("stable focus", "stable focus", "稳定焦点"),
    ("unstable focus", "unstable focus", "不稳定焦点"),
    ("saddle node", "saddle node", "鞍点"),
    ("center", "center", "中心"),
    ("stable point", "stable point", "稳定点"),
    ("unstable point", "unstable point", "不稳定点"),
    ("hopf", "Hopf bifurcation", "Hopf 分岔"),
    ("saddle-node", "saddle-node bifurcation", "鞍结分岔"),
];

pub fn lesson_label(number: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Lesson {number}"),
        Lang::Zh => format!("第 {number} 课"),
    }
}

pub fn day_label(day: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Day {day}"),
        Lang::Zh => format!("第 {day} 天"),
    }
}

/// (key, English, Chinese)
pub const STRINGS: &[(&str, &str, &str)] = &[
    ("computed_on_cpu", "Computed on the CPU.", "在 CPU 上计算。"),
    ("computed_on_gpu", "Computed on the GPU (WebGPU):", "在 GPU 上计算（WebGPU）："),
    (
        "computed_on_cpu_instead",
        "Computed on the CPU; the GPU could not run it:",
        "在 CPU 上计算；GPU 无法运行：",
    ),
    (
        "site_tagline",
        "Neural computational modeling, in your browser",
        "在浏览器里学习神经计算建模",
    ),
    (
        "course",
        "Course: Neural Computational Modeling and Programming (PKU, BrainPy)",
        "课程：神经计算建模及编程培训班（北京大学，BrainPy）",
    ),
    ("home", "Course map", "课程地图"),
    ("in_preparation", "In preparation", "筹备中"),
    ("open_lesson", "Open", "进入"),
    ("progress", "solved", "已完成"),
    ("switch_lang", "中文", "English"),
    ("export_png", "PNG", "导出 PNG"),
    ("export_csv", "CSV", "导出 CSV"),
    ("reset", "Reset", "重置"),
    ("param_outside", "outside", "超出范围"),
    ("param_not_a_number", "not a number", "不是数字"),
    ("param_number", "type a value", "输入数值"),
    ("heatmap_summary", "Activity over position (across) and time (down): darker is higher", "活动随位置（横向）和时间（纵向）的变化：颜色越深，活动越强"),
    ("raster_summary", "Spike raster: each dot is a spike of one neuron (row) at one time; the counts are listed below", "脉冲栅格图：每个点是某个神经元（行）在某一时刻发放的一个脉冲；数目列在图下方"),
    ("input_protocol_text", "Input protocol, as text", "输入电流协议（文本）"),
    ("model_source", "The model's equations, editable", "模型方程（可编辑）"),
    ("reset_all", "Reset all", "全部重置"),
    ("parameters", "Parameters", "参数"),
    ("input", "Input", "输入"),
    ("on_pre_spike", "When a presynaptic spike arrives:", "突触前脉冲到达时："),
    ("on_post_spike", "When the postsynaptic neuron spikes:", "突触后神经元发放时："),
    ("scaled_conductance", "conductance / its peak", "电导 / 其峰值"),
    ("weight_change", "weight change Δw", "权重变化 Δw"),
    ("presynaptic", "Presynaptic spikes (or the presynaptic neuron's input)", "突触前脉冲（或突触前神经元的输入）"),
    ("integrator", "Integrator", "积分方法"),
    ("dt", "Time step dt (ms)", "时间步长 dt（ms）"),
    ("duration", "Duration (ms)", "时长（ms）"),
    ("equations", "Equations", "方程"),
    ("edit_equations", "Edit equations", "编辑方程"),
    (
        "stop_editing",
        "Back to the library model",
        "恢复库中的模型",
    ),
    ("apply", "Apply", "应用"),
    (
        "equation_error",
        "The model has an error; the last good model keeps running.",
        "模型有错误；页面继续运行上一个正确的模型。",
    ),
    ("running", "Running…", "运行中…"),
    ("cancel", "Cancel", "取消"),
    ("cancelled", "Run cancelled.", "已取消运行。"),
    ("run_failed", "The run stopped", "运行中止"),
    ("copy_link", "Copy link", "复制链接"),
    ("copy_setting_link", "Copy link to this setting", "复制此设置的链接"),
    ("brainpy_code", "BrainPy code", "BrainPy 代码"),
    (
        "brainpy_code_hint",
        "This setting as a BrainPy 2.4 script: the same model (your edits included) and parameters as here, drawing the figures above. It runs on your computer, on a GPU too, after: pip install brainpy==2.4.6 jax==0.4.23 jaxlib==0.4.23 \"numpy<2\" \"scipy<1.13\" matplotlib",
        "把当前设置写成 BrainPy 2.4 脚本：与这里相同的模型（包括你编辑的方程）和参数，并画出上面的图。安装后即可在自己的电脑上（也可以在 GPU 上）运行：pip install brainpy==2.4.6 jax==0.4.23 jaxlib==0.4.23 \"numpy<2\" \"scipy<1.13\" matplotlib",
    ),
    ("copy_code", "Copy", "复制"),
    ("save_py", "Save .py", "保存 .py"),
    ("link_copied", "Link copied.", "链接已复制。"),
    (
        "link_notice",
        "Some settings in the link could not be used:",
        "链接中的部分设置无法使用：",
    ),
    ("check", "Check", "检查"),
    ("hint", "Hint", "提示"),
    ("reveal", "Show answer", "显示答案"),
    ("correct", "Correct!", "正确！"),
    ("incorrect", "Not yet.", "还不对。"),
    ("your_answer", "Your answer", "你的答案"),
    ("check_setting", "Check my setting", "检查我的设置"),
    ("exercise", "Exercise", "练习"),
    ("contents", "On this page", "本页内容"),
    ("exercises_solved", "Exercises solved:", "已完成练习："),
    ("solved", "Solved", "已完成"),
    (
        "progress_notice",
        "Stored progress could not be read; it was kept aside and a fresh record started.",
        "无法读取已保存的进度；旧数据已另存，并开始新的记录。",
    ),
    (
        "progress_write_failed",
        "Your progress could not be saved in this browser, so it will be lost when the page closes (use \"Save progress to a file\"):",
        "无法在此浏览器中保存你的进度，关闭页面后进度会丢失（请使用\"把进度保存到文件\"）：",
    ),
    ("save_progress", "Save progress to a file", "把进度保存到文件"),
    ("load_progress", "Load progress from a file:", "从文件载入进度："),
    ("rate", "rate (Hz)", "发放率（Hz）"),
    ("neuron_index", "neuron", "神经元编号"),
    ("ring_profiles", "Activity across the ring", "环上的活动分布"),
    ("ring_centre", "Bump centre and stimulus position", "活动包中心与刺激位置"),
    ("position_rad", "position (rad)", "位置（rad）"),
    ("bump_centre", "bump centre", "活动包中心"),
    ("stimulus", "stimulus", "刺激"),
    ("population_rates", "Population rates", "群体发放率"),
    ("input_scaled", "input (scaled)", "输入（缩放后）"),
    ("stimulus_rates", "Stimulus rates", "刺激频率"),
    ("seed", "random seed", "随机种子"),
    ("new_trial", "New run (next seed)", "重新运行（下一个种子）"),
    ("pause_training", "Pause", "暂停"),
    ("resume_training", "Resume", "继续训练"),
    ("paused_at", "Paused after iteration", "已暂停，完成的迭代次数："),
    ("save_network", "Save the trained network", "保存训练好的网络"),
    ("load_network", "Load a saved network:", "载入保存的网络："),
    (
        "loaded_network",
        "A saved network: the settings are those it was trained with, and the figures show it as it was saved. Change a setting to train anew.",
        "已载入保存的网络：设置已恢复为训练它时的设置，图中显示的就是保存时的网络。改变任一设置即可重新训练。",
    ),
    ("psychometric", "Choices: how often pool A wins", "选择：群体 A 获胜的比例"),
    ("chronometric", "Decision time", "决策时间"),
    ("coherence_pct", "coherence (%)", "相干度（%）"),
    ("a_wins_pct", "A wins (%)", "A 获胜（%）"),
    ("decision_time_ms", "decision time (ms)", "决策时间（ms）"),
    ("trials_done", "trials", "个试次"),
    ("chance", "chance (50 %)", "随机水平（50 %）"),
    ("mg_series", "Mackey–Glass series", "Mackey–Glass 序列"),
    ("mg_phase", "Its attractor: P(t) against P(t − τ)", "吸引子：P(t) 对 P(t − τ)"),
    ("test_prediction", "Test: prediction and truth", "测试：预测与真实值"),
    ("reservoir_states", "Reservoir states (first units)", "储备池状态（前几个单元）"),
    ("time_units", "t (time units)", "t（时间单位）"),
    ("truth", "truth", "真实值"),
    ("prediction", "prediction", "预测"),
    ("train_mse", "training MSE", "训练 MSE"),
    ("test_mse", "test MSE", "测试 MSE"),
    ("saturated", "saturated", "饱和"),
    ("state", "state", "状态"),
    ("synaptic_current", "synaptic current", "突触电流"),
    ("network_input", "Input to every neuron", "每个神经元的输入"),
    ("time_ms", "t (ms)", "t（ms）"),
    ("not_found", "This page does not exist.", "页面不存在。"),
    ("lesson_loading", "Loading the lesson…", "正在加载课程…"),
    ("widget_starting", "Starting the simulator…", "正在启动模拟器…"),
    ("lesson_load_failed", "The lesson could not be loaded. Check the connection and try again; if it keeps failing, please report the message below.", "课程无法加载。请检查网络后重试；如果一直失败，请报告下面的信息。"),
    ("retry", "Try again", "重试"),
    ("back_home", "Back to the course map", "返回课程地图"),
    ("neuron", "neuron", "神经元"),
    ("warnings", "Note", "注意"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code the analyses give has a name in both languages.
    #[test]
    fn every_term_is_named() {
        use brainplay_analysis::{LineStability, Pattern, Stability};
        let patterns = [
            Pattern::Silent,
            Pattern::Transient,
            Pattern::Delayed,
            Pattern::Bursting,
            Pattern::InitialBurst,
            Pattern::Adapting,
            Pattern::Irregular,
            Pattern::Tonic,
        ]
        .map(Pattern::label);
        let stabilities = [
            Stability::StableNode,
            Stability::UnstableNode,
            Stability::StableFocus,
            Stability::UnstableFocus,
            Stability::Saddle,
            Stability::Center,
        ]
        .map(Stability::label);
        let line = [LineStability::Stable, LineStability::Unstable].map(LineStability::label);
        let kinds = ["hopf", "saddle-node"];
        for code in patterns
            .iter()
            .chain(&stabilities)
            .chain(&line)
            .chain(&kinds)
        {
            let (en, zh) = (term(code, Lang::En), term(code, Lang::Zh));
            assert!(zh != *code && !zh.is_empty() && !en.is_empty(), "{code}");
        }
    }

    #[test]
    fn every_ui_string_exists_in_both_languages() {
        for (key, en, zh) in STRINGS {
            assert!(!en.is_empty() && !zh.is_empty(), "{key}");
            assert_eq!(
                STRINGS.iter().filter(|s| s.0 == *key).count(),
                1,
                "{key} twice"
            );
        }
    }
}
