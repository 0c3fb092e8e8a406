import re
M=99999
def seg_any(tag, n=30):
    return '  <segmentType name="%s"><sequence><any maxOccurs="%d"/></sequence></segmentType>\n' % (tag, n)
def seg(tag, elems, anymax=0):
    x='  <segmentType name="%s">\n    <sequence>\n' % tag
    for kind, typ, req in elems:
        x+='      <%s type="%s"%s/>\n' % (kind, typ, ' minOccurs="1"' if req else '')
    if anymax: x+='      <any maxOccurs="%d"/>\n' % anymax
    return x+'    </sequence>\n  </segmentType>\n'
def el(name, base, mn, mx, codes=None):
    if codes:
        v=''.join('<value>%s</value>' % c for c in codes)
        return '  <elementType name="%s" base="identifier" minLength="%d" maxLength="%d"><enumeration>%s</enumeration></elementType>\n' % (name, mn, mx, v)
    return '  <elementType name="%s" base="%s" minLength="%d" maxLength="%d"/>\n' % (name, base, mn, mx)
def s(t, mn=0, mx=None):
    return '<segment type="%s"%s%s/>' % (t, ' minOccurs="%d"' % mn if mn else '', ' maxOccurs="%d"' % mx if mx else '')
def loop(code, body, mn=0, mx=999999):
    return '<loop code="%s"%s maxOccurs="%d"><sequence>%s</sequence></loop>' % (code, ' minOccurs="%d"' % mn if mn else '', mx, ''.join(body))
def comp(name, parts):
    x='  <compositeType name="%s">\n    <sequence>\n' % name
    for p,req in parts: x+='      <element type="%s"%s/>\n' % (p, ' minOccurs="1"' if req else '')
    return x+'    </sequence>\n  </compositeType>\n'

# X12 850
n1_loop=lambda code: loop(code,[s("N1"),s("N2",mx=2),s("N3",mx=2),s("N4",mx=M),s("NX2",mx=M),s("REF",mx=12),s("PER",mx=M),s("SI",mx=M),s("FOB"),s("TD1",mx=2),s("TD5",mx=12),s("TD3",mx=12),s("TD4",mx=5),s("PKG",mx=200)],mx=200)
n9_loop=lambda code: loop(code,[s("N9"),s("DTM",mx=M),s("MSG",mx=1000)],mx=1000)
header=[s("BEG",1),s("CUR"),s("REF",mx=M),s("PER",mx=3),s("TAX",mx=M),s("FOB",mx=M),s("CTP",mx=M),s("PAM",mx=10),s("CSH",mx=5),s("TC2",mx=M),
        loop("SAC_LOOP",[s("SAC"),s("CUR")],mx=25),s("ITD",mx=M),s("DIS",mx=20),s("INC"),s("DTM",mx=10),s("LDT",mx=12),s("LIN",mx=5),s("SI",mx=M),s("PID",mx=200),
        s("MEA",mx=40),s("PWK",mx=25),s("PKG",mx=200),s("TD1",mx=2),s("TD5",mx=12),s("TD3",mx=12),s("TD4",mx=5),s("MAN",mx=10),s("PCT",mx=M),s("CTB",mx=5),s("TXI",mx=M),
        loop("AMT_LOOP",[s("AMT"),s("REF",mx=M),s("DTM"),s("PCT",mx=M)],mx=M),
        n9_loop("N9_LOOP"), n1_loop("N1_LOOP")]
po1=loop("PO1_LOOP",[s("PO1"),s("LIN",mx=M),s("SI",mx=M),s("CUR"),s("CN1"),s("PO3",mx=25),loop("CTP_LOOP",[s("CTP"),s("CUR")],mx=M),s("MEA",mx=40),
        loop("PID_LOOP",[s("PID"),s("MEA",mx=10)],mx=1000),s("PWK",mx=25),s("PO4",mx=M),s("REF",mx=M),s("PER",mx=3),loop("SAC_LOOP",[s("SAC"),s("CUR"),s("CTP")],mx=25),
        s("IT8"),s("CSH",mx=M),s("ITD",mx=2),s("DIS",mx=20),s("INC"),s("TAX",mx=M),s("FOB",mx=M),s("SDQ",mx=500),s("IT3",mx=5),s("DTM",mx=10),s("TC2",mx=M),
        s("TD1"),s("TD5",mx=12),s("TD3",mx=12),s("TD4",mx=5),s("PCT",mx=M),s("MAN",mx=10),s("MSG",mx=M),s("SPI",mx=M),s("TXI",mx=M),s("CTB",mx=M),
        loop("QTY_LOOP",[s("QTY"),s("SI",mx=M)],mx=M),loop("SCH_LOOP",[s("SCH"),s("TD1",mx=2),s("TD5",mx=12),s("TD3",mx=12),s("TD4",mx=5),s("REF",mx=M)],mx=200),
        loop("PKG_LOOP",[s("PKG"),s("MEA",mx=M)],mx=200),s("LS"),
        n9_loop("N9_LOOP"), n1_loop("N1_LOOP"),
        loop("SLN_LOOP",[s("SLN"),s("MSG",mx=M),s("SI",mx=M),s("PID",mx=1000),s("PO3",mx=104),s("TC2",mx=M),s("ADV",mx=M),s("DTM",mx=10),s("CTP",mx=25),s("PAM",mx=10),s("PO4"),s("TAX",mx=3)],mx=1000),
        loop("AMT_LOOP",[s("AMT"),s("REF"),s("PCT",mx=M)],mx=M),s("LE")],mn=1,mx=100000)
summary=[loop("CTT_LOOP",[s("CTT"),s("AMT")],mx=1)]
tx='<transaction><sequence>'+''.join(header+[po1]+summary)+'</sequence></transaction>\n'
codes353=["00","01","02","03","04","05","06","07","08","10","11","13","14","15","16","17","18","19","22","24","25","26","27","28","30","35","46","49","52","53","54","77"]
codes92=["AB","BE","BK","BL","BY","CF","CN","CO","CP","DR","DS","EO","IN","KB","KC","KD","KI","KN","KO","KQ","KR","KS","LS","NE","NP","NS","OS","PR","RC","RE","RL","RN","RO","RR","RT","SA","SD","SO","SP","SS","ST","TE","TR","UD","US","WO","ZZ"]
els=(el("E0092","identifier",2,2,codes92)+el("E0353","identifier",2,2,codes353)+el("E0324","string",1,22)+el("E0328","string",1,30)
     +el("E0373","date",6,8)+el("E0367","string",1,30)+el("E0587","identifier",2,2)+el("E0098","identifier",2,3)+el("E0093","string",1,60)
     +el("E0066","identifier",1,2)+el("E0067","string",2,80)+el("E0166","string",1,55)+el("E0019","string",2,30)+el("E0156","identifier",2,2)
     +el("E0116","identifier",3,15)+el("E0026","identifier",2,3)+el("E0350","string",1,20)+el("E0330","decimal",1,15)+el("E0355","identifier",2,2)
     +el("E0212","decimal",1,17)+el("E0639","identifier",2,2)+el("E0235","identifier",2,2)+el("E0234","string",1,48)+el("E0349","identifier",1,1,["F","S","X"])
     +el("E0750","identifier",2,3)+el("E0559","identifier",2,2)+el("E0751","string",1,12)+el("E0352","string",1,80)+el("E0374","identifier",3,3)
     +el("E0337","time",4,8)+el("E0100","identifier",3,3)+el("E0128","identifier",2,3)+el("E0127","string",1,50)+el("E0366","identifier",2,2)
     +el("E0365","identifier",2,2)+el("E0364","string",1,256)+el("E0354","numeric",1,6)+el("E0347","decimal",1,10)+el("E0522","identifier",1,3)
     +el("E0782","decimal",1,18)+el("E0933","string",1,264)+el("E0369","string",1,45))
po1_elems=[("element","E0350",0),("element","E0330",0),("element","E0355",0),("element","E0212",0),("element","E0639",0)]+[("element","E0235",0),("element","E0234",0)]*10
segs=(seg("BEG",[("element","E0353",1),("element","E0092",1),("element","E0324",1),("element","E0328",0),("element","E0373",1),("element","E0367",0),("element","E0587",0)],5)
      +seg("CUR",[("element","E0098",1),("element","E0100",1)],19)
      +seg("REF",[("element","E0128",1),("element","E0127",0),("element","E0352",0)],1)
      +seg("PER",[("element","E0366",1),("element","E0093",0),("element","E0365",0),("element","E0364",0),("element","E0365",0),("element","E0364",0),("element","E0365",0),("element","E0364",0)],1)
      +seg("DTM",[("element","E0374",1),("element","E0373",0),("element","E0337",0)],3)
      +seg("N9",[("element","E0128",1),("element","E0127",0),("element","E0369",0)],4)
      +seg("MSG",[("element","E0933",1)],2)
      +seg("N1",[("element","E0098",1),("element","E0093",0),("element","E0066",0),("element","E0067",0)],2)
      +seg("N2",[("element","E0093",1),("element","E0093",0)])
      +seg("N3",[("element","E0166",1),("element","E0166",0)])
      +seg("N4",[("element","E0019",0),("element","E0156",0),("element","E0116",0),("element","E0026",0)],3)
      +seg("PO1",po1_elems)
      +seg("PID",[("element","E0349",1),("element","E0750",0),("element","E0559",0),("element","E0751",0),("element","E0352",0)],4)
      +seg("CTT",[("element","E0354",1),("element","E0347",0)],5)
      +seg("AMT",[("element","E0522",1),("element","E0782",1)],1))
detailed={"BEG","CUR","REF","PER","DTM","N9","MSG","N1","N2","N3","N4","PO1","PID","CTT","AMT"}
alltags=sorted(set(re.findall(r'segment type="([A-Z0-9]+)"', tx)))
others=''.join(seg_any(t) for t in alltags if t not in detailed)
head=('<?xml version="1.0" encoding="UTF-8"?>\n<!-- X12 850 Purchase Order, versions 004010 and 005010: the full segment and loop structure, with\n'
      '     element types and code lists for what mappings/edi-x12 reads; other segments accept any elements.\n'
      '     Generated by src/test/resources/edi/generate-schemas.py; edit that, not this. -->\n<schema xmlns="http://xlate.io/EDISchema/v4">\n')
open('src/main/resources/edi/x12-850.xml','w').write(head+'  '+tx+els+segs+others+'</schema>\n')

# EDIFACT ORDERS
c=s
nad=loop("NAD_LOOP",[c("NAD"),c("LOC",mx=25),c("FII",mx=5),loop("NAD_RFF_LOOP",[c("RFF"),c("DTM",mx=5)],mx=10),loop("DOC_LOOP",[c("DOC"),c("DTM",mx=5)],mx=5),loop("CTA_LOOP",[c("CTA"),c("COM",mx=5)],mx=5)],mx=99)
pri=loop("PRI_LOOP",[c("PRI"),c("CUX"),c("APR",mx=5),c("RNG"),c("DTM",mx=5)],mx=25)
lin=loop("LIN_LOOP",[c("LIN"),c("PIA",mx=25),c("IMD",mx=99),c("MEA",mx=99),c("QTY",mx=99),c("PCD",mx=5),c("ALI",mx=5),c("DTM",mx=35),c("MOA",mx=10),c("GIN",mx=127),
        c("GIR",mx=M),c("QVR"),c("DOC",mx=M),c("PAI"),c("FTX",mx=99),loop("CCI_LOOP",[c("CCI"),c("CAV",mx=10),c("MEA",mx=10)],mx=999),pri,
        loop("LIN_RFF_LOOP",[c("RFF"),c("DTM",mx=5)],mx=10),loop("LIN_PAC_LOOP",[c("PAC"),c("MEA",mx=5),c("QTY",mx=5),c("DTM",mx=5),c("RFF"),c("PCI",mx=M),c("GIN",mx=10)],mx=10),
        loop("LIN_LOC_LOOP",[c("LOC"),c("QTY"),c("DTM")],mx=9999),loop("LIN_TAX_LOOP",[c("TAX"),c("MOA"),c("LOC",mx=10)],mx=10),
        loop("LIN_NAD_LOOP",[c("NAD"),c("LOC",mx=5),loop("LIN_NAD_RFF_LOOP",[c("RFF"),c("DTM",mx=5)],mx=5),loop("LIN_CTA_LOOP",[c("CTA"),c("COM",mx=5)],mx=5)],mx=999),
        loop("LIN_ALC_LOOP",[c("ALC"),c("ALI",mx=5),c("DTM",mx=5),c("QTY"),c("PCD"),c("MOA",mx=2),c("RTE"),c("TAX",mx=5)],mx=99),
        loop("LIN_TDT_LOOP",[c("TDT"),c("LOC",mx=10)],mx=10),loop("LIN_TOD_LOOP",[c("TOD"),c("LOC",mx=2)],mx=3),
        loop("LIN_SCC_LOOP",[c("SCC"),c("FTX",mx=5),c("RFF",mx=10),c("QTY",mx=10),c("DTM",mx=10)],mx=100)],mx=200000)
otx=[c("BGM",1),c("DTM",mx=35),c("PAI",mx=1),c("ALI",mx=5),c("IMD",mx=999),c("FTX",mx=99),loop("RFF_LOOP",[c("RFF"),c("DTM",mx=5)],mx=10),nad,
     loop("TAX_LOOP",[c("TAX"),c("MOA"),c("LOC",mx=5)],mx=5),loop("CUX_LOOP",[c("CUX"),c("PCD",mx=5),c("DTM",mx=5)],mx=5),loop("PAT_LOOP",[c("PAT"),c("DTM",mx=5),c("PCD"),c("MOA")],mx=10),
     loop("TDT_LOOP",[c("TDT"),c("LOC",mx=10),c("DTM",mx=10)],mx=10),loop("TOD_LOOP",[c("TOD"),c("LOC",mx=2)],mx=5),loop("PAC_LOOP",[c("PAC"),c("MEA",mx=5),c("PCI",mx=5)],mx=99),
     loop("EQD_LOOP",[c("EQD"),c("HAN",mx=5),c("MEA",mx=5),c("FTX",mx=5)],mx=10),loop("SCC_LOOP",[c("SCC"),c("FTX",mx=5),c("RFF",mx=5),c("QTY",mx=10),c("DTM",mx=10)],mx=10),
     loop("APR_LOOP",[c("APR"),c("DTM",mx=5),c("RNG")],mx=25),loop("ALC_LOOP",[c("ALC"),c("ALI",mx=5),c("DTM",mx=5),c("QTY"),c("PCD"),c("MOA",mx=2),c("RTE"),c("TAX",mx=5)],mx=99),
     loop("RCS_LOOP",[c("RCS"),c("RFF",mx=5),c("DTM",mx=5),c("FTX",mx=5)],mx=100),
     lin,c("UNS",1),c("MOA",mx=12),c("CNT",mx=10),loop("ALC_SUM_LOOP",[c("ALC"),c("ALI"),c("MOA",mx=2)],mx=10)]
etx='<transaction><sequence>'+''.join(otx)+'</sequence></transaction>\n'
codes1001=["105","220","221","224","225","226","227","228","229","230","231","232","233","234","237","238","258","400","401","402","403","404","405","447"]
codes1225=[str(i) for i in list(range(1,10))+list(range(11,56))]
eels=(el("E1001","identifier",1,3,codes1001)+el("E1131","string",1,17)+el("E3055","identifier",1,3)+el("E1000","string",1,35)
      +el("E1004","string",1,35)+el("E1056","string",1,9)+el("E1060","string",1,6)+el("E1225","identifier",1,3,codes1225)+el("E4343","identifier",1,3)
      +el("E2005","identifier",1,3)+el("E2380","string",1,35)+el("E2379","identifier",1,3)+el("E3035","identifier",1,3)+el("E3039","string",1,35)
      +el("E3036","string",1,35)+el("E3042","string",1,35)+el("E3164","string",1,35)+el("E3229","string",1,9)+el("E3251","string",1,9)
      +el("E3207","identifier",1,3)+el("E1082","string",1,6)+el("E1229","identifier",1,3)+el("E7140","string",1,35)+el("E7143","identifier",1,3)
      +el("E6063","identifier",1,3)+el("E6060","decimal",1,15)+el("E6411","identifier",1,3)+el("E5125","identifier",1,3)+el("E5118","decimal",1,15)
      +el("E5375","identifier",1,3)+el("E5387","identifier",1,3)+el("E5284","decimal",1,9)+el("E6345","identifier",3,3)+el("E6343","identifier",1,3)
      +el("E7077","identifier",1,3)+el("E7081","identifier",1,3)+el("E7008","string",1,256)+el("E4451","identifier",1,3)+el("E4453","identifier",1,3)
      +el("E4440","string",1,512)+el("E1153","identifier",1,3)+el("E1154","string",1,70)+el("E5025","identifier",1,3)+el("E5004","decimal",1,35)
      +el("E6069","identifier",1,3)+el("E6066","decimal",1,15)+el("E3124","string",1,35)+el("E6348","identifier",1,3)+el("E7009","string",1,17)
      +el("E3453","identifier",1,3)+el("E1156","string",1,6)+el("E4000","string",1,35)+el("E4405","identifier",1,3)+el("E5213","identifier",1,3)
      +el("E5402","decimal",1,12)+el("E6341","identifier",1,3)+el("E7383","identifier",1,3)+el("E4441","identifier",1,17)+el("E6347","identifier",1,3))
comps=(comp("C002",[("E1001",0),("E1131",0),("E3055",0),("E1000",0)])+comp("C106",[("E1004",0),("E1056",0),("E1060",0)])
       +comp("C507",[("E2005",1),("E2380",0),("E2379",0)])+comp("C082",[("E3039",1),("E1131",0),("E3055",0)])
       +comp("C058",[("E3124",1)]+[("E3124",0)]*4)+comp("C080",[("E3036",1)]+[("E3036",0)]*4)+comp("C059",[("E3042",1)]+[("E3042",0)]*3)
       +comp("C212",[("E7140",0),("E7143",0),("E1131",0),("E3055",0)])+comp("C186",[("E6063",1),("E6060",1),("E6411",0)])
       +comp("C509",[("E5125",1),("E5118",0),("E5375",0),("E5387",0),("E5284",0),("E6411",0)])+comp("C504",[("E6347",1),("E6345",0),("E6343",0),("E6348",0)])
       +comp("C273",[("E7009",0),("E1131",0),("E3055",0),("E7008",0),("E7008",0),("E3453",0)])+comp("C108",[("E4440",1)]+[("E4440",0)]*4)
       +comp("C506",[("E1153",1),("E1154",0),("E1156",0),("E4000",0)])+comp("C516",[("E5025",1),("E5004",0),("E6345",0),("E6343",0),("E4405",0)])
       +comp("C270",[("E6069",1),("E6066",1),("E6411",0)])+comp("C107",[("E4441",1),("E1131",0),("E3055",0)]))
esegs=(seg("BGM",[("composite","C002",0),("composite","C106",0),("element","E1225",0),("element","E4343",0)],2)
       +seg("DTM",[("composite","C507",1)])
       +seg("NAD",[("element","E3035",1),("composite","C082",0),("composite","C058",0),("composite","C080",0),("composite","C059",0),("element","E3164",0),("element","E3229",0),("element","E3251",0),("element","E3207",0)])
       +seg("LIN",[("element","E1082",0),("element","E1229",0),("composite","C212",0)],3)
       +seg("QTY",[("composite","C186",1)])
       +seg("PRI",[("composite","C509",0),("element","E5213",0)])
       +seg("CUX",[("composite","C504",0),("composite","C504",0),("element","E5402",0),("element","E6341",0)])
       +seg("IMD",[("element","E7077",0),("element","E7081",0),("composite","C273",0),("element","E7383",0)])
       +seg("FTX",[("element","E4451",1),("element","E4453",0),("composite","C107",0),("composite","C108",0),("element","E3453",0)],1)
       +seg("RFF",[("composite","C506",1)])
       +seg("MOA",[("composite","C516",1)])
       +seg("CNT",[("composite","C270",1)]))
edetailed={"BGM","DTM","NAD","LIN","QTY","PRI","CUX","IMD","FTX","RFF","MOA","CNT"}
ealltags=sorted(set(re.findall(r'segment type="([A-Z0-9]+)"', etx)))
eothers=''.join(seg_any(t) for t in ealltags if t not in edetailed)
ehead=('<?xml version="1.0" encoding="UTF-8"?>\n<!-- EDIFACT ORDERS, directories D96A and D01B (and the EANCOM subsets built on them): the segment\n'
       '     group structure with element types and code lists for what mappings/edifact reads; other segments accept any elements.\n'
       '     Generated by src/test/resources/edi/generate-schemas.py; edit that, not this. -->\n<schema xmlns="http://xlate.io/EDISchema/v4">\n')
open('src/main/resources/edi/edifact-ORDERS.xml','w').write(ehead+'  '+etx+eels+comps+esegs+eothers+'</schema>\n')
print("ok", len(alltags), len(ealltags))
