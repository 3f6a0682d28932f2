import GovShareCore

extension Strings {
    /// The nodes page (Art. 15; issue 18).
    static let nodeWords: [String: LocalizedText] = [
        "nav_nodes": .init(zh: "节点管理", en: "Nodes"),
        "nodes_intro": .init(
            zh: "省级节点登记各市级子节点，市级子节点登记省级节点。节点间每条消息由发送节点的 SM2 节点密钥签名，按序号逐条送达，失败时自动重试。",
            en:
                "The provincial node registers each city sub-node; a city sub-node registers the provincial node. Every message between nodes is signed with the sender's SM2 node key, delivered in sequence and retried when it fails."
        ),
        "nodes_self": .init(zh: "本节点", en: "This node"),
        "nodes_peers": .init(zh: "已登记节点", en: "Registered nodes"),
        "nodes_id": .init(zh: "节点标识", en: "Node id"),
        "nodes_name": .init(zh: "名称", en: "Name"),
        "nodes_region": .init(zh: "区划代码", en: "Region code"),
        "nodes_relation": .init(zh: "关系", en: "Relation"),
        "nodes_status": .init(zh: "状态", en: "Status"),
        "nodes_sequence": .init(zh: "消息序号", en: "Sequence"),
        "nodes_sent": .init(zh: "发", en: "sent"),
        "nodes_received": .init(zh: "收", en: "received"),
        "nodes_pending": .init(zh: "待送达", en: "Waiting"),
        "nodes_lag": .init(zh: "滞后", en: "lag"),
        "nodes_last_contact": .init(zh: "最近送达 / 接收", en: "Last delivered / received"),
        "nodes_last_error": .init(zh: "最近错误", en: "Last error"),
        "nodes_check": .init(zh: "检测链路", en: "Check link"),
        "nodes_revoke": .init(zh: "撤销", en: "Revoke"),
        "nodes_reason": .init(zh: "撤销原因", en: "Reason"),
        "nodes_register": .init(zh: "登记节点", en: "Register a node"),
        "nodes_url": .init(zh: "访问地址", en: "Base URL"),
        "nodes_checkpoint": .init(zh: "审计检查点至", en: "Audit checkpoints through"),
        "nodes_checkpoints_export": .init(zh: "导出", en: "Export"),
        "nodes_certificate": .init(zh: "节点证书（PEM）", en: "Node certificate (PEM)"),
        "entry_home_node": .init(
            zh: "只读副本，由所属节点管理；编辑、审核和数据申请请到该节点办理", en: "A read-only copy; its home node manages it, edits and data requests go there"),
    ]
}
