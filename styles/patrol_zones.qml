<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis styleCategories="Symbology|Labeling|MapTips" version="3.22.16-Białowieża" labelsEnabled="1">
  <renderer-v2 type="singleSymbol" forceraster="0" symbollevels="0" enableorderby="0" referencescale="-1">
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option type="QString" name="color" value="33,102,172,60"/>
            <Option type="QString" name="joinstyle" value="round"/>
            <Option type="QString" name="outline_color" value="8,48,107,255"/>
            <Option type="QString" name="outline_style" value="solid"/>
            <Option type="QString" name="outline_width" value="0.6"/>
            <Option type="QString" name="outline_width_unit" value="MM"/>
            <Option type="QString" name="style" value="solid"/>
          </Option>
        </layer>
      </symbol>
    </symbols>
    <rotation/>
    <sizescale/>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="rank" isExpression="0" fontSize="9" fontWeight="75" textColor="8,48,107,255" fontFamily="Sans Serif" fontSizeUnit="Point" textOpacity="1" namedStyle="Bold">
        <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="1"/>
      </text-style>
      <placement placement="1" placementFlags="10" centroidInside="1" centroidWhole="0" priority="5" overrunDistance="0"/>
      <rendering obstacle="1" limitNumLabels="0" displayAll="1" upsidedownLabels="0" scaleVisibility="0" minFeatureSize="0"/>
    </settings>
  </labeling>
  <mapTip>Zone [% "rank" %]: [% round("expected", 2) %] expected incidents; unit(s) [% "units" %]; visits [% "visit_times" %]</mapTip>
  <layerGeometryType>2</layerGeometryType>
</qgis>
